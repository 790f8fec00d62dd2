using Kefu.Analytics.Quality;
using Kefu.Model;

namespace Kefu.Analytics.Tests.Quality;

/// <summary>The rule engine: each rule fires at its threshold and not below it; scoring and flagging.</summary>
public class QualityInspectorTests
{
    private static readonly QualityRules Off = ConversationScript.Off();

    [Fact]
    public void DefaultRules_CleanConversation_Scores100_NotFlagged()
    {
        var s = new ConversationScript();
        s.Visitor(0, "你好，我想问下快递到哪了");
        s.Agent(10, "您好，我帮您查一下");
        s.Visitor(20, "好的");
        s.Agent(40, "已经到您所在城市了，明天送达");
        s.Visitor(50, "谢谢");
        s.Rating = new Rating(5, 5, [], "很专业", ConversationScript.Start.AddSeconds(60));

        var result = s.Inspect(new QualityRules());

        Assert.Empty(result.Reasons);
        Assert.Equal(100, result.Score);
        Assert.False(result.Flagged);
        Assert.Equal(77, result.ConversationId);
        Assert.Equal(ConversationScript.AgentId, result.AgentId);
        Assert.Equal(ConversationScript.VisitorId, result.VisitorId);
        Assert.Equal(5, result.MessagesInspected);
    }

    [Fact]
    public void NegativeSentiment_Count_FiresAtThreshold_NotBelow()
    {
        var rules = Off with { NegativeSentiment = new() { MinNegativeMessages = 3, MinNegativePercent = 100 } };
        var s = new ConversationScript();
        s.Agent(0);
        var first = s.Visitor(1, "a", -1);
        var second = s.Visitor(2, "b", -1);
        s.Agent(3, "c");
        s.Visitor(4, "d", 0);
        s.Visitor(5, "e", 1);
        s.Visitor(6, "f"); // no sentiment: not analysed

        Assert.Empty(s.Inspect(rules).Reasons);

        var third = s.Visitor(7, "g", -1);
        var reason = Assert.Single(s.Inspect(rules).Reasons);
        Assert.Equal(QualityRuleKind.NegativeSentiment, reason.Rule);
        Assert.Equal("sentiment.negative_count", reason.Code);
        Assert.Equal([first, second, third], reason.MessageIds);
        Assert.Equal(3, reason.Values["count"]);
        Assert.Equal(5, reason.Values["analysed"]);
        Assert.Contains("3条消息为负面情绪", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeSentiment_Share_FiresAtPercent_NotBelow_AndOnlyWithEnoughAnalysedMessages()
    {
        var rules = Off with { NegativeSentiment = new() { MinNegativeMessages = 100, MinNegativePercent = 50, MinAnalysedMessages = 4 } };

        var three = new ConversationScript(); // 2 of 3 negative: 67 %, but only 3 analysed
        three.Visitor(1, "a", -1);
        three.Visitor(2, "b", -1);
        three.Visitor(3, "c", 0);
        three.Agent(4, "差劲的回答"); // agents' messages never count
        Assert.Empty(three.Inspect(rules).Reasons);

        var below = new ConversationScript(); // 1 of 4: 25 %
        below.Visitor(1, "a", -1);
        below.Visitor(2, "b", 0);
        below.Visitor(3, "c", 0);
        below.Visitor(4, "d", 1);
        Assert.Empty(below.Inspect(rules).Reasons);

        var at = new ConversationScript(); // 2 of 4: 50 %
        at.Visitor(1, "a", -1);
        at.Visitor(2, "b", -1);
        at.Visitor(3, "c", 0);
        at.Visitor(4, "d", 1);
        var reason = Assert.Single(at.Inspect(rules).Reasons);
        Assert.Equal("sentiment.negative_share", reason.Code);
        Assert.Equal(50, reason.Values["percent"]);
    }

    [Fact]
    public void EvaluationWords_FireAtThreshold_NotBelow_AfterFolding()
    {
        var rules = Off with { EvaluationWords = new() { MinOccurrences = 2, PositiveWeight = 0 } };
        var s = new ConversationScript();
        s.Agent(0);
        var complaint = s.Visitor(1, "我要投訴你們"); // traditional characters
        s.Agent(2, "投诉渠道在这里，差评也可以"); // the agent's words never count

        Assert.Empty(s.Inspect(rules).Reasons);

        var report = s.Visitor(3, "打１２３１５举报"); // full-width digits: two more occurrences
        var reason = Assert.Single(s.Inspect(rules).Reasons);
        Assert.Equal(QualityRuleKind.EvaluationWords, reason.Rule);
        Assert.Equal("evaluation.negative_words", reason.Code);
        Assert.Equal(3, reason.Values["negative"]);
        Assert.Equal(["投诉", "12315", "举报"], reason.Words);
        Assert.Equal([complaint, report], reason.MessageIds);
    }

    [Fact]
    public void EvaluationWords_PositiveWordsOffset_AndPositiveInsideNegativeIsNotCounted()
    {
        var rules = Off with { EvaluationWords = new() { MinOccurrences = 1, PositiveWeight = 0.5 } };
        var s = new ConversationScript();
        s.Visitor(1, "我很不满意");

        var reason = Assert.Single(s.Inspect(rules).Reasons);
        Assert.Equal(1, reason.Values["negative"]);
        Assert.Equal(0, reason.Values["positive"]); // 满意 inside 不满意 is not a positive word

        s.Visitor(2, "不过问题解决了");
        Assert.Empty(s.Inspect(rules).Reasons); // 1 − 0.5 × 1 = 0.5 < 1

        var unweighted = rules with { EvaluationWords = rules.EvaluationWords with { PositiveWeight = 0 } };
        Assert.Single(s.Inspect(unweighted).Reasons);
    }

    [Theory]
    [InlineData(1, 5, true)]
    [InlineData(2, 5, true)] // 25 %
    [InlineData(3, 5, false)] // 50 %
    [InlineData(1, 3, true)]
    [InlineData(2, 3, false)]
    [InlineData(1, 2, true)]
    [InlineData(2, 2, false)]
    public void Rating_LowLevel_IsNormalisedAcrossLevelCounts(int level, int levels, bool fires)
    {
        var rules = Off with { Rating = new() { MaxLowLevelPercent = 25, CommentWords = [] } };
        var s = new ConversationScript { Rating = new Rating(level, levels, [], null, ConversationScript.Start) };

        var reasons = s.Inspect(rules).Reasons;

        if (fires)
        {
            var reason = Assert.Single(reasons);
            Assert.Equal("rating.low", reason.Code);
            Assert.Equal(level, reason.Values["level"]);
            Assert.Equal(levels, reason.Values["levelCount"]);
        }
        else
        {
            Assert.Empty(reasons);
        }
    }

    [Fact]
    public void Rating_CommentWithComplaintWords_Fires_EvenWithAGoodLevel()
    {
        var rules = Off with { Rating = new() };
        var clean = new ConversationScript { Rating = new Rating(4, 5, [], "还行吧", ConversationScript.Start) };
        Assert.Empty(clean.Inspect(rules).Reasons);

        var unrated = new ConversationScript();
        Assert.Empty(unrated.Inspect(rules).Reasons);

        var s = new ConversationScript { Rating = new Rating(4, 5, [], "客服还行，但是物流太差，骗子", ConversationScript.Start) };
        var reason = Assert.Single(s.Inspect(rules).Reasons);
        Assert.Equal("rating.comment", reason.Code);
        Assert.Equal(["太差", "骗子"], reason.Words);
    }

    [Fact]
    public void ReplyTiming_SlowReplies_FireAtCount_NotBelow_AndTheFirstResponseIsNotCounted()
    {
        var rules = Off with { ReplyTiming = new() { SlowReplySeconds = 60, MinSlowReplies = 2, MaxGapSeconds = 86_400, MinReplyPercent = 0 } };
        var s = new ConversationScript();
        s.Visitor(0, "在吗");
        s.Agent(500, "在的"); // the first response: rule 5's business
        var slow = s.Visitor(510, "订单没到");
        s.Visitor(520, "快点");
        s.Agent(571, "我查一下"); // 61 s after 510: slow
        s.Visitor(600, "好");
        s.Agent(660, "明天到"); // exactly 60 s: not slow
        var thanks = s.Visitor(700, "谢谢"); // unanswered last turn: not measured

        Assert.Empty(s.Inspect(rules).Reasons);

        s.Visitor(720, "还有一个问题");
        s.Agent(800, "请讲"); // 100 s after the turn that began with 谢谢 at 700
        var reason = Assert.Single(s.Inspect(rules).Reasons);
        Assert.Equal("reply.slow", reason.Code);
        Assert.Equal(2, reason.Values["count"]);
        Assert.Equal([slow, thanks], reason.MessageIds);
    }

    [Fact]
    public void ReplyTiming_LongestGap_FiresAboveMaximum_NotAtIt()
    {
        var rules = Off with { ReplyTiming = new() { MinSlowReplies = 100, MaxGapSeconds = 300, MinReplyPercent = 0 } };
        var at = new ConversationScript();
        at.Agent(0);
        at.Visitor(10);
        at.Agent(310);
        Assert.Empty(at.Inspect(rules).Reasons);

        var above = new ConversationScript();
        above.Agent(0);
        var question = above.Visitor(10);
        var answer = above.Agent(311);
        var reason = Assert.Single(above.Inspect(rules).Reasons);
        Assert.Equal("reply.longest_gap", reason.Code);
        Assert.Equal(301, reason.Values["seconds"]);
        Assert.Equal([question, answer], reason.MessageIds);
    }

    [Fact]
    public void ReplyTiming_TooFewReplies_FiresBelowPercent_AndOnlyWithEnoughVisitorMessages()
    {
        var rules = Off with { ReplyTiming = new() { MinSlowReplies = 100, MaxGapSeconds = 86_400, MinReplyPercent = 30, MinVisitorMessagesForReplyRate = 5 } };
        var few = new ConversationScript();
        for (var i = 0; i < 4; i++)
        {
            few.Visitor(i);
        }

        Assert.Empty(few.Inspect(rules).Reasons); // 4 visitor messages, no reply: too few to judge

        var s = new ConversationScript();
        for (var i = 0; i < 10; i++)
        {
            s.Visitor(i * 10);
        }

        s.Agent(101);
        s.Agent(102);
        s.Agent(103);
        Assert.Empty(s.Inspect(rules).Reasons); // 3 of 10: 30 %

        var less = new ConversationScript();
        for (var i = 0; i < 10; i++)
        {
            less.Visitor(i * 10);
        }

        less.Agent(101);
        less.Agent(102);
        var reason = Assert.Single(less.Inspect(rules).Reasons);
        Assert.Equal("reply.rate", reason.Code);
        Assert.Equal(20, reason.Values["percent"]);
    }

    [Fact]
    public void FirstResponse_FiresAboveMaximum_NotAtIt_NorWithoutPickUp()
    {
        var rules = Off with { FirstResponse = new() { MaxSeconds = 60 } };
        var at = new ConversationScript();
        at.Visitor(0);
        at.Agent(60);
        Assert.Empty(at.Inspect(rules).Reasons);

        var slow = new ConversationScript();
        slow.Visitor(0);
        var first = slow.Agent(61);
        var reason = Assert.Single(slow.Inspect(rules).Reasons);
        Assert.Equal(QualityRuleKind.SlowFirstResponse, reason.Rule);
        Assert.Equal("first_response.slow", reason.Code);
        Assert.Equal(61, reason.Values["seconds"]);
        Assert.Equal([first], reason.MessageIds);

        var botOnly = new ConversationScript { PickedUp = false };
        botOnly.Visitor(0);
        botOnly.Bot(1, "您好，我是机器人");
        Assert.Empty(botOnly.Inspect(rules).Reasons);
    }

    [Fact]
    public void FirstResponse_NoReplyAtAll_FiresOnceTheConversationOutlastsTheMaximum()
    {
        var rules = Off with { FirstResponse = new() { MaxSeconds = 60 } };
        var quick = new ConversationScript { ClosedAfter = 60 };
        quick.Visitor(0);
        Assert.Empty(quick.Inspect(rules).Reasons);

        var ignored = new ConversationScript { ClosedAfter = 600 };
        ignored.Visitor(0);
        var reason = Assert.Single(ignored.Inspect(rules).Reasons);
        Assert.Equal("first_response.none", reason.Code);
        Assert.Equal(600, reason.Values["seconds"]);
    }

    [Fact]
    public void BannedPhrases_FireAtThreshold_OnlyForAgents_AndAlwaysFlag()
    {
        var rules = Off with { BannedPhrases = new() { MinOccurrences = 2 } };
        var s = new ConversationScript();
        s.Visitor(0, "你自己看吧，我不知道");
        s.Agent(1, "这个我不知道");
        Assert.Empty(s.Inspect(rules).Reasons);

        var second = s.Agent(2, "不归我管，爱买不买");
        var result = s.Inspect(rules);
        var reason = Assert.Single(result.Reasons);
        Assert.Equal("banned.phrases", reason.Code);
        Assert.Equal(3, reason.Values["count"]);
        Assert.Equal(["不知道", "不归我管", "爱买不买"], reason.Words);
        Assert.Contains(second, reason.MessageIds);
        Assert.True(reason.AlwaysFlag);
        Assert.Equal(70, result.Score);
        Assert.True(result.Flagged);

        var gentle = rules with { FlagBelowScore = 0 };
        Assert.True(s.Inspect(gentle).Flagged); // always-flag, whatever the score
    }

    [Fact]
    public void VisitorComplaints_FireAtThreshold_NotBelow()
    {
        var rules = Off with { VisitorComplaints = new() { MinOccurrences = 2 } };
        var s = new ConversationScript();
        s.Bot(0, "请问有什么可以帮您");
        s.Visitor(1, "转人工");
        Assert.Empty(s.Inspect(rules).Reasons);

        s.Visitor(2, "轉人工！！"); // traditional, with noise
        var reason = Assert.Single(s.Inspect(rules).Reasons);
        Assert.Equal(QualityRuleKind.VisitorComplaints, reason.Rule);
        Assert.Equal(2, reason.Values["count"]);
        Assert.Equal(["转人工"], reason.Words);
    }

    [Fact]
    public void Score_TakesEachRulesPenaltyOnce_AndFlagsBelowTheThreshold()
    {
        var rules = Off with
        {
            FlagBelowScore = 80,
            Rating = new() { Penalty = 30 },
            FirstResponse = new() { MaxSeconds = 60, Penalty = 10 },
        };
        var s = new ConversationScript { Rating = new Rating(1, 5, [], "我要投诉", ConversationScript.Start) };
        s.Visitor(0);
        s.Agent(120);

        var result = s.Inspect(rules);

        Assert.Equal(["rating.low", "rating.comment", "first_response.slow"], result.Reasons.Select(r => r.Code));
        Assert.Equal([30, 0, 10], result.Reasons.Select(r => r.Penalty));
        Assert.Equal(60, result.Score);
        Assert.True(result.Flagged);
    }

    [Fact]
    public void Score_AtTheThreshold_IsNotFlagged_AndIsFlooredAtZero()
    {
        var s = new ConversationScript { Rating = new Rating(1, 5, [], null, ConversationScript.Start) };
        s.Visitor(0);
        s.Agent(120);

        var atThreshold = Off with { FlagBelowScore = 80, Rating = new() { Penalty = 20 } };
        var result = s.Inspect(atThreshold);
        Assert.Equal(80, result.Score);
        Assert.False(result.Flagged);

        var heavy = Off with { Rating = new() { Penalty = 100 }, FirstResponse = new() { Penalty = 100 } };
        result = s.Inspect(heavy);
        Assert.Equal(0, result.Score);
        Assert.Equal(2, result.Reasons.Count);
        Assert.True(result.Flagged);
    }

    [Fact]
    public void DisabledRule_NeverFires()
    {
        var s = new ConversationScript { Rating = new Rating(1, 5, [], "垃圾", ConversationScript.Start) };
        s.Visitor(0, "投诉，投诉，差评");
        s.Agent(600, "不知道");

        var result = s.Inspect(Off);

        Assert.Empty(result.Reasons);
        Assert.Equal(100, result.Score);
        Assert.False(result.Flagged);
    }
}
