using System.Text;
using Kefu.Analytics.Sentiment;
using Kefu.Storage;

namespace Kefu.Analytics.Tests.Sentiment;

/// <summary>Small synthetic labelled customer-service texts and a CSV writer for them.</summary>
internal static class SentimentTestData
{
    private static readonly string[] Subjects = ["订单", "快递", "耳机", "房间", "手机", "衣服", "账号", "物流", "发票", "商品", "屏幕", "电池"];

    private static readonly string[] PositiveTemplates =
        ["{0}收到了，非常满意", "{0}很好用，谢谢客服", "{0}质量不错，好评", "{0}的问题解决了，感谢", "{0}到得很快，点赞", "{0}很漂亮，推荐"];

    private static readonly string[] NegativeTemplates =
        ["{0}太慢了，很失望", "{0}坏了，我要投诉", "{0}质量太差，差评", "{0}的问题一直没解决", "{0}有毛病，要退款", "{0}和描述不符，不推荐"];

    /// <summary>Every subject with every template: 72 positive and 72 negative texts, interleaved.</summary>
    public static List<SentimentSample> Samples()
    {
        var samples = new List<SentimentSample>();
        foreach (var subject in Subjects)
        {
            for (var t = 0; t < PositiveTemplates.Length; t++)
            {
                samples.Add(new SentimentSample(string.Format(System.Globalization.CultureInfo.InvariantCulture, PositiveTemplates[t], subject), true));
                samples.Add(new SentimentSample(string.Format(System.Globalization.CultureInfo.InvariantCulture, NegativeTemplates[t], subject), false));
            }
        }

        return samples;
    }

    /// <summary>The samples as CSV with a header, quoting every text.</summary>
    public static string Csv(IEnumerable<SentimentSample> samples, Func<SentimentSample, string>? label = null)
    {
        var csv = new StringBuilder("label,text\n");
        foreach (var s in samples)
        {
            csv.Append(label?.Invoke(s) ?? (s.Positive ? "1" : "0")).Append(",\"").Append(s.Text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\"\n");
        }

        return csv.ToString();
    }

    public static MemoryStream Stream(string text, bool bom = false)
    {
        var bytes = new UTF8Encoding(bom).GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        return new MemoryStream(bytes);
    }
}

/// <summary>A configuration document store in a dictionary, with the store's version checks.</summary>
internal sealed class FakeDocumentStore : IConfigurationDocumentStore
{
    private readonly Dictionary<(long, string, string), ConfigurationDocument> _documents = [];

    public int Count => _documents.Count;

    public ValueTask<ConfigurationDocument?> GetAsync(long tenantId, string kind, string key, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_documents.GetValueOrDefault((tenantId, kind, key)));

    public ValueTask<IReadOnlyList<ConfigurationDocument>> ListAsync(long tenantId, string kind, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<IReadOnlyList<ConfigurationDocument>>([.. _documents.Values.Where(d => d.TenantId == tenantId && d.Kind == kind)]);

    public ValueTask<ConfigurationDocument> PutAsync(long tenantId, string kind, string key, string content, long expectedVersion, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var current = _documents.GetValueOrDefault((tenantId, kind, key))?.Version ?? 0;
        if (current != expectedVersion)
        {
            throw new KefuException(KefuErrorKind.Concurrency, "version mismatch");
        }

        var document = new ConfigurationDocument(tenantId, kind, key, current + 1, content, now);
        _documents[(tenantId, kind, key)] = document;
        return ValueTask.FromResult(document);
    }

    public ValueTask<bool> DeleteAsync(long tenantId, string kind, string key, long expectedVersion, CancellationToken cancellationToken = default)
    {
        if (!_documents.TryGetValue((tenantId, kind, key), out var document))
        {
            return ValueTask.FromResult(false);
        }

        if (document.Version != expectedVersion)
        {
            throw new KefuException(KefuErrorKind.Concurrency, "version mismatch");
        }

        return ValueTask.FromResult(_documents.Remove((tenantId, kind, key)));
    }
}
