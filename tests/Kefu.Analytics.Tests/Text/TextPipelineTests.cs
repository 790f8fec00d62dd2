using Kefu.Analytics.Text;

namespace Kefu.Analytics.Tests.Text;

[Collection(DictionaryCollection.Name)]
public sealed class TextPipelineTests(DictionaryFixture fixture)
{
    [Fact]
    public void FocusWords_AreAlwaysKeywords_EvenSingleCharactersAndDefaultStopWords()
    {
        var pipeline = TextPipeline.Create(fixture.Dictionary, new TenantVocabulary([], ["杭研", "卡", "问题"], []));

        Assert.Equal(["杭研", "卡", "问题", "大厦"], pipeline.Keywords.Extract("杭研的卡有问题吗大厦"));
        Assert.Equal(["卡", "杭研", "问题"], pipeline.Keywords.FocusWords.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WithoutFocus_TheSameTextLosesThoseWords()
    {
        var pipeline = TextPipeline.Create(fixture.Dictionary, TenantVocabulary.Empty);

        Assert.Equal(["大厦"], pipeline.Keywords.Extract("杭研的卡有问题吗大厦"));
    }

    [Fact]
    public void TenantStopWords_AreNeverKeywords_EvenWhenAlsoFocusWords()
    {
        var pipeline = TextPipeline.Create(fixture.Dictionary, new TenantVocabulary([], ["杭研", "快递"], ["快递", "物流"]));

        Assert.Equal(["杭研"], pipeline.Keywords.Extract("杭研快递物流"));
        Assert.True(pipeline.StopWords.Contains("快递"));
    }

    [Fact]
    public void UserWords_KeepTheirFrequencyAndAreKeptWhole()
    {
        var vocabulary = new TenantVocabulary(UserDictionary.Parse("小米粒充电宝 nz\n杭研 5\n"), ["杭研"], []);

        var pipeline = TextPipeline.Create(fixture.Segmenter, vocabulary);

        Assert.Equal("我/的/小米粒充电宝/坏/了", DictionaryFixture.Join(pipeline.Segmenter, "我的小米粒充电宝坏了"));
        Assert.Equal(["小米粒充电宝"], pipeline.Keywords.Extract("我的小米粒充电宝坏了"));
        Assert.Equal(Math.Log(5 / fixture.Dictionary.TotalFrequency), pipeline.Segmenter.UserWords!.LogProbability("杭研")!.Value, 4);
        Assert.Same(vocabulary, pipeline.Vocabulary);
    }

    [Fact]
    public void Options_AreValidated() =>
        Assert.Throws<KefuValidationException>(() => TextPipeline.Create(fixture.Dictionary, TenantVocabulary.Empty, new KeywordOptions { MinChineseLength = 11 }));
}
