using Kefu.Bots.Matching;
using Kefu.Bots.Optimization;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kefu.Bots.Tests.Optimization;

/// <summary>The log of unmatched questions (B6): bounded in memory, written in the background, read back after a restart.</summary>
public sealed class UnmatchedQuestionLogTests : IAsyncDisposable
{
    private const long Tenant = 1;
    private const long Robot = 7;

    private readonly FakeTimeProvider _clock = new();
    private readonly MemoryDocumentStore _store = new();
    private readonly List<UnmatchedQuestionLog> _logs = [];

    private UnmatchedQuestionLog NewLog(int max = 20_000, TimeSpan? flushDelay = null)
    {
        var log = new UnmatchedQuestionLog(_store, _clock, Options.Create(new BotOptimizationOptions
        {
            MaxQuestionsPerRobot = max,
            FlushDelay = flushDelay ?? TimeSpan.FromMinutes(1),
        }));
        _logs.Add(log);
        return log;
    }

    private void Ask(UnmatchedQuestionLog log, string text, long robot = Robot, long? ruleId = null, double confidence = 0.1) =>
        log.Record(Tenant, robot, text, QuestionText.Normalize(text), ruleId, confidence, _clock.GetUtcNow());

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _logs)
        {
            await log.DisposeAsync();
        }
    }

    [Fact]
    public async Task Record_KeepsEachDistinctQuestionWithCountExamplesAndTimes()
    {
        var log = NewLog();
        await log.LoadTenantAsync(Tenant);
        var first = _clock.GetUtcNow();
        string[] ways = ["优惠券怎么用", "优惠券怎么用？", "优惠券 怎么用!", "优惠券怎么用。", "優惠券怎麼用", "优惠券怎么用？？？", "优惠券怎么用"];
        foreach (var way in ways)
        {
            Ask(log, way, ruleId: 1003, confidence: 0.104);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Ask(log, "今天天气怎么样");

        var entries = log.Snapshot(Tenant, Robot);
        Assert.Equal(["优惠券怎么用", "今天天气怎么样"], entries.Select(e => e.Question));
        var coupon = entries[0];
        Assert.Equal(7, coupon.Count);
        Assert.Equal(["优惠券怎么用", "优惠券怎么用？", "优惠券 怎么用!", "优惠券怎么用。", "優惠券怎麼用"], coupon.Examples);
        Assert.Equal(first, coupon.FirstAskedAt);
        Assert.Equal(first + TimeSpan.FromMinutes(6), coupon.LastAskedAt);
        Assert.Equal(1003, coupon.RuleId);
        Assert.Equal(0.104, coupon.Confidence);
        Assert.Empty(log.Snapshot(Tenant, Robot + 1));
    }

    [Fact]
    public void Record_WhenTheQuestionIsEmptyOrTooLong_KeepsNothing()
    {
        var log = NewLog();

        Ask(log, "？？！！ 😀");
        Ask(log, new string('问', UnmatchedQuestionLog.MaxQuestionLength + 1));

        Assert.Empty(log.Snapshot(Tenant, Robot));
    }

    [Fact]
    public void Record_WhenTheRobotsLogIsFull_ForgetsTheLeastRecentlyAsked()
    {
        var log = NewLog(max: 100);
        for (var i = 0; i < 100; i++)
        {
            Ask(log, $"question {i}");
        }

        Ask(log, "question 0"); // asked again: now the most recent
        Ask(log, "question 100");

        var questions = log.Snapshot(Tenant, Robot).Select(e => e.Question).ToList();
        Assert.Equal(100, questions.Count);
        Assert.DoesNotContain("question 1", questions);
        Assert.Contains("question 0", questions);
        Assert.Equal("question 100", questions[^1]);
    }

    [Fact]
    public async Task Record_WritesNothingAtOnce_ThenOneDocumentAfterTheFlushDelay()
    {
        var log = NewLog(flushDelay: TimeSpan.FromSeconds(10));
        await log.LoadTenantAsync(Tenant);

        Ask(log, "优惠券怎么用");
        Ask(log, "今天天气怎么样");
        Ask(log, "手机号换了");
        await WaitUntilAsync(() => _clock.NextTimerDue is not null); // the background flush waits for the clock
        Assert.Equal(0, _store.Writes);

        _clock.Advance(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => _store.Writes == 1);
        await Task.Delay(50);

        Assert.Equal(1, _store.Writes); // the three records were written together
        var document = await _store.GetAsync(Tenant, UnmatchedQuestionLog.DocumentKind, "7");
        Assert.NotNull(document);
        Assert.Contains("优惠券怎么用", document.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlushedLog_SurvivesARestart()
    {
        var before = NewLog();
        await before.LoadTenantAsync(Tenant);
        Ask(before, "优惠券怎么用");
        Ask(before, "优惠券怎么用？");
        Ask(before, "今天天气怎么样", robot: 8, ruleId: 1003, confidence: 0.2);
        await before.FlushAsync();
        var expected7 = before.Snapshot(Tenant, Robot);
        var expected8 = before.Snapshot(Tenant, 8);

        var after = NewLog();
        await after.LoadTenantAsync(Tenant);

        Assert.Equal(expected7.Select(Describe), after.Snapshot(Tenant, Robot).Select(Describe));
        Assert.Equal(expected8.Select(Describe), after.Snapshot(Tenant, 8).Select(Describe));
        Assert.Equal(2, after.Snapshot(Tenant, Robot)[0].Count);

        // Asked again after the restart: counted on top of what was stored, and written over the stored version.
        Ask(after, "优惠券怎么用");
        await after.FlushAsync();
        var third = NewLog();
        await third.LoadTenantAsync(Tenant);
        Assert.Equal(3, third.Snapshot(Tenant, Robot)[0].Count);
    }

    [Fact]
    public async Task DisposeAsync_WritesWhatIsLeft()
    {
        var log = new UnmatchedQuestionLog(_store, _clock, Options.Create(new BotOptimizationOptions { FlushDelay = TimeSpan.FromMinutes(5) }));
        await log.LoadTenantAsync(Tenant);
        Ask(log, "优惠券怎么用");

        await log.DisposeAsync();

        var reloaded = NewLog();
        await reloaded.LoadTenantAsync(Tenant);
        Assert.Equal("优惠券怎么用", Assert.Single(reloaded.Snapshot(Tenant, Robot)).Question);
    }

    [Fact]
    public async Task Flush_BeforeTheTenantIsLoaded_DoesNotOverwriteTheStoredLog()
    {
        var before = NewLog();
        await before.LoadTenantAsync(Tenant);
        Ask(before, "优惠券怎么用");
        await before.FlushAsync();

        var after = NewLog();
        Ask(after, "优惠券怎么用");
        await after.FlushAsync(); // not loaded yet: nothing written
        Assert.Equal(1, _store.Writes);

        await after.LoadTenantAsync(Tenant);
        Assert.Equal(2, Assert.Single(after.Snapshot(Tenant, Robot)).Count);
        await after.FlushAsync();
        Assert.Equal(2, _store.Writes);
    }

    [Fact]
    public async Task Load_OfAnUnreadableLog_StartsItAfresh()
    {
        await _store.PutAsync(Tenant, UnmatchedQuestionLog.DocumentKind, "7", "{not json", 0, _clock.GetUtcNow());
        var log = NewLog();

        await log.LoadTenantAsync(Tenant);
        Ask(log, "优惠券怎么用");
        await log.FlushAsync();

        var reloaded = NewLog();
        await reloaded.LoadTenantAsync(Tenant);
        Assert.Equal("优惠券怎么用", Assert.Single(reloaded.Snapshot(Tenant, Robot)).Question);
    }

    [Fact]
    public async Task Remove_ForgetsTheQuestionsAndTheStoreFollows()
    {
        var log = NewLog();
        await log.LoadTenantAsync(Tenant);
        Ask(log, "优惠券怎么用");
        Ask(log, "今天天气怎么样");
        await log.FlushAsync();

        Assert.Equal(1, log.Remove(Tenant, Robot, ["优惠券怎么用", "not there"]));
        await log.FlushAsync();

        var reloaded = NewLog();
        await reloaded.LoadTenantAsync(Tenant);
        Assert.Equal("今天天气怎么样", Assert.Single(reloaded.Snapshot(Tenant, Robot)).Question);
    }

    [Theory]
    [InlineData(0.05, 20_000, 2)]
    [InlineData(0.96, 20_000, 2)]
    [InlineData(0.5, 99, 2)]
    [InlineData(0.5, 20_000, 601)]
    public void Options_OutOfRange_AreRefusedWithTheField(double similarity, int max, int delaySeconds)
    {
        var options = new BotOptimizationOptions { GroupSimilarity = similarity, MaxQuestionsPerRobot = max, FlushDelay = TimeSpan.FromSeconds(delaySeconds) };

        var error = Assert.Throws<KefuValidationException>(options.Validate);

        Assert.Contains(error.Field, new[] { "GroupSimilarity", "MaxQuestionsPerRobot", "FlushDelay" });
    }

    [Fact]
    public void Options_OutOfRange_FailWhenTheServicesStart()
    {
        var services = new ServiceCollection();
        services.AddKefu().AddBots(b => b.ConfigureOptimization(o => o.GroupSimilarity = 2));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BotOptimizationOptions>>().Value);

        Assert.Contains("GroupSimilarity", error.Message, StringComparison.Ordinal);
    }

    private static string Describe(UnmatchedEntry e) =>
        $"{e.Question}|{e.Count}|{string.Join("/", e.Examples)}|{e.FirstAskedAt:O}|{e.LastAskedAt:O}|{e.RuleId}|{e.Confidence}";

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
