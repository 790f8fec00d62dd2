using Kefu.Analytics.Reporting;

namespace Kefu.Analytics.Tests.Reporting;

public sealed class MetricCatalogTests
{
    [Fact]
    public void Ids_AreUniqueAndLowerSnakeCase()
    {
        var ids = MetricCatalog.All.Select(m => m.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z][a-z0-9_]*$", id));
    }

    [Fact]
    public void EveryMetric_HasNamesDefinitionBucketUnitAndAggregation()
    {
        Assert.All(MetricCatalog.All, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace(m.ChineseName));
            Assert.False(string.IsNullOrWhiteSpace(m.EnglishName));
            Assert.False(string.IsNullOrWhiteSpace(m.Definition));
            Assert.False(string.IsNullOrWhiteSpace(m.Source));
            Assert.True(Enum.IsDefined(m.Time));
            Assert.True(Enum.IsDefined(m.Unit));
            Assert.True(Enum.IsDefined(m.Aggregation));
        });
    }

    [Fact]
    public void CustomReportMetrics_AreTheFourteenOfE17_WithTheirBuckets()
    {
        Assert.Equal(14, MetricCatalog.CustomReportIds.Count);
        var chinese = MetricCatalog.CustomReportIds.Select(id => MetricCatalog.Find(id)!.ChineseName).ToArray();
        Assert.Equal(
            ["排队时长平均值", "排队时长最大值", "排队总次数", "独立访客总数", "质检评分平均值", "满意度评分平均值", "会话总数", "消息总数",
             "会话时长平均值", "会话时长最大值", "首次响应时长平均值", "首次响应时长最大值", "响应时长平均值", "响应时长最大值"],
            chinese);
        Assert.All(MetricCatalog.CustomReportIds.Take(4), id => Assert.Equal(MetricTime.ConversationCreated, MetricCatalog.Find(id)!.Time));
        Assert.All(MetricCatalog.CustomReportIds.Skip(4), id => Assert.Equal(MetricTime.PickedUp, MetricCatalog.Find(id)!.Time));
    }

    [Fact]
    public void EveryComputedMetric_HasAReader_AndOnlyThose()
    {
        Assert.All(MetricCatalog.All, m => Assert.Equal(m.IsComputed, Kefu.Analytics.Reporting.Reports.IsReadable(m.Id)));
        Assert.All(MetricCatalog.CustomReportIds, id => Assert.True(MetricCatalog.Find(id)!.IsComputed));
    }

    [Fact]
    public void Find_UnknownId_ReturnsNull() => Assert.Null(MetricCatalog.Find("nope"));

    [Theory]
    [InlineData(5, 5, 5.0)]
    [InlineData(1, 5, 1.0)]
    [InlineData(3, 5, 3.0)]
    [InlineData(2, 3, 3.0)]
    [InlineData(1, 2, 1.0)]
    [InlineData(2, 2, 5.0)]
    public void SatisfactionScore_MapsEveryModeToOneToFive(int level, int levels, double expected) =>
        Assert.Equal(expected, ReportingSeries.SatisfactionScore(level, levels), 9);

    [Fact]
    public void DimensionSets_AreTheTotalSixSinglesAndFifteenPairs()
    {
        Assert.Equal(22, ReportingSeries.DimensionSets.Length);
        Assert.Equal(22, ReportingSeries.DimensionSets.Distinct().Count());
        Assert.Equal("report.conv/agent+channel", ReportingSeries.Name(ReportingSeries.Conversations, ReportingSeries.Mask([ReportDimension.ChannelKind, ReportDimension.Agent])));
        Assert.Equal("report.conv", ReportingSeries.Name(ReportingSeries.Conversations, 0));
    }
}
