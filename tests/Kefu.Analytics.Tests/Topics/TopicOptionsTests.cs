using Kefu.Analytics.Topics;

namespace Kefu.Analytics.Tests.Topics;

public class TopicOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var options = new TopicOptions();

        options.Validate();
        Assert.Equal(10, options.TopicCount);
        Assert.Equal(3000, options.MaxKeywords);
        Assert.Equal(2, options.MinKeywordFrequency);
        Assert.Equal(10, options.Restarts);
    }

    [Theory]
    [InlineData(nameof(TopicOptions.TopicCount), 1, "between 2 and 50")]
    [InlineData(nameof(TopicOptions.TopicCount), 51, "between 2 and 50")]
    [InlineData(nameof(TopicOptions.MaxKeywords), 9, "between 10 and 20000")]
    [InlineData(nameof(TopicOptions.MaxKeywords), 20_001, "between 10 and 20000")]
    [InlineData(nameof(TopicOptions.MinKeywordFrequency), 0, "between 1 and 1000000")]
    [InlineData(nameof(TopicOptions.Restarts), 0, "between 1 and 100")]
    [InlineData(nameof(TopicOptions.Restarts), 101, "between 1 and 100")]
    public void Validate_OutOfRange_NamesTheFieldAndTheRange(string field, int value, string range)
    {
        var options = new TopicOptions();
        typeof(TopicOptions).GetProperty(field)!.SetValue(options, value); // the property exists: the names come from nameof

        var error = Assert.Throws<KefuValidationException>(options.Validate);

        Assert.Equal(field, error.Field);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Contains(range, error.Message, StringComparison.Ordinal);
        Assert.Contains(value.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(50)]
    public void Validate_TopicCountAtTheBounds_Passes(int k)
    {
        var options = new TopicOptions { TopicCount = k };

        options.Validate();
        Assert.Equal(k, options.TopicCount);
    }
}
