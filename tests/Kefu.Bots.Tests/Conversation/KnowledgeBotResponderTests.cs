using Kefu.Events;

namespace Kefu.Bots.Tests.Conversations;

/// <summary>The robot's turns (B2, B4, E17 8.2–8.4), called as Core's worker calls them, over an in-memory catalog.</summary>
public class KnowledgeBotResponderTests
{
    // ---- Welcome, missing and disabled robots

    [Fact]
    public void Start_WhenTheWelcomeIsOn_SaysIt()
    {
        var turn = new BotChat(ShopRobot.Catalog()).Start();

        Assert.Equal([new Robot { Name = "x" }.Replies.Welcome.Text], turn.Replies);
        Assert.False(turn.HandOffToHuman);
        Assert.Empty(turn.Attachments);
    }

    [Fact]
    public void Start_WhenTheWelcomeIsOff_SaysNothing()
    {
        var chat = new BotChat(ShopRobot.Catalog(r => r with { Replies = r.Replies with { Welcome = new AutoReply(false, "您好") } }));

        Assert.Same(BotTurn.Silent, chat.Start());
    }

    [Fact]
    public void StartAndRespond_WhenTheRobotIsDisabled_HandOverAtOnceToItsGroup()
    {
        var chat = new BotChat(ShopRobot.Catalog(r => r with { Enabled = false }));

        foreach (var turn in new[] { chat.Start(), chat.Say("退款多久到账") })
        {
            Assert.True(turn.HandOffToHuman);
            Assert.Equal(ShopRobot.HandOffGroupId, turn.TargetGroupId);
            Assert.Empty(turn.Replies);
        }
    }

    [Fact]
    public void StartAndRespond_WhenTheRobotDoesNotExist_HandOverAtOnce()
    {
        var chat = new BotChat(ShopRobot.Catalog(), robotId: 999);

        Assert.True(chat.Start().HandOffToHuman);
        Assert.True(chat.Say("退款多久到账").HandOffToHuman);
        Assert.Null(chat.Say("退款多久到账").TargetGroupId);
    }

    // ---- Answers

    [Theory]
    [InlineData("退款多久到账", ShopRobot.RefundAnswer)] // exact
    [InlineData("  退款多久到賬？？ ", ShopRobot.RefundAnswer)] // exact after folding traditional characters and punctuation
    [InlineData("请问退款一般几天到账啊", ShopRobot.RefundAnswer)] // keyword entry 退款+到账
    [InlineData("改地址的运费", ShopRobot.ShippingAnswer)] // keyword entry 运费
    [InlineData("我的退款什么时候到", ShopRobot.RefundAnswer)] // statistical
    [InlineData("收货地址怎么改", ShopRobot.AddressAnswer)] // statistical
    [InlineData("how can I reset my password", ShopRobot.PasswordAnswer)] // statistical, English
    public void Respond_WhenARuleMatchesConfidently_GivesItsTextAnswer(string question, string answer)
    {
        var chat = new BotChat(ShopRobot.Catalog());

        var turn = chat.Say(question);

        Assert.Equal([answer], turn.Replies);
        Assert.False(turn.HandOffToHuman);
        Assert.Empty(turn.Attachments);
        Assert.Empty(chat.Unmatched());
    }

    [Fact]
    public void Respond_WhenTheAnswerIsAMenu_SaysItsTextThenShowsTheMenu()
    {
        var turn = new BotChat(ShopRobot.Catalog()).Say("营业时间");

        Assert.Equal([ShopRobot.HoursIntro], turn.Replies);
        var menu = Assert.Single(turn.Attachments);
        Assert.Equal(MessageKind.Menu, menu.Kind);
        Assert.Equal("请选择您想了解的时间", menu.Text);
        Assert.Equal(["工作日时间", "节假日安排"], menu.MenuItems);
    }

    [Fact]
    public void Respond_WhenTheVisitorPicksAMenuItem_AnswersItsRuleOrMatchesItsText()
    {
        var chat = new BotChat(ShopRobot.Catalog());
        chat.Say("营业时间");

        Assert.Equal([ShopRobot.WeekdayAnswer], chat.Say("工作日时间").Replies); // the item names rule 1005
        Assert.Equal([ShopRobot.HolidayAnswer], chat.Say("节假日安排").Replies); // the item's text is a question of rule 1006
    }

    [Fact]
    public void Respond_WhenAMenuWasNeverShown_MatchesItsItemTextAsAQuestion()
    {
        var chat = new BotChat(ShopRobot.Catalog());

        // "工作日时间" alone matches rule 1005 statistically; without the menu it is an ordinary question.
        var turn = chat.Say("工作日时间");

        Assert.NotEqual([ShopRobot.HoursIntro], turn.Replies);
        Assert.False(turn.HandOffToHuman);
    }

    [Fact]
    public void Respond_WhenTheAnswerIsAnImage_SaysItsTextThenSendsTheImage()
    {
        var turn = new BotChat(ShopRobot.Catalog()).Say("怎么开发票");

        Assert.Equal([ShopRobot.InvoiceIntro], turn.Replies);
        var image = Assert.Single(turn.Attachments);
        Assert.Equal(MessageKind.Image, image.Kind);
        Assert.Equal(ShopRobot.InvoiceImage, image.Media);
    }

    [Fact]
    public void Respond_WhenTheAnswerIsAFile_SendsOnlyTheFile()
    {
        var turn = new BotChat(ShopRobot.Catalog()).Say("下载说明书");

        Assert.Empty(turn.Replies);
        var file = Assert.Single(turn.Attachments);
        Assert.Equal(MessageKind.File, file.Kind);
        Assert.Equal(ShopRobot.Manual, file.Media);
    }

    [Theory]
    [InlineData("https://cdn.example.com/a", "a.JPG", null, true)]
    [InlineData("https://cdn.example.com/a.webp?size=2", "a", null, true)]
    [InlineData("https://cdn.example.com/a.png", "a.png", "application/octet-stream", false)]
    [InlineData("https://cdn.example.com/a", "a.bin", "image/gif", true)]
    [InlineData("https://cdn.example.com/a.pdf", "a.pdf", null, false)]
    public void IsImage_UsesTheContentTypeElseTheExtension(string url, string name, string? contentType, bool image) =>
        Assert.Equal(image, KnowledgeBotResponder.IsImage(new Kefu.Model.MediaAttachment(url, name, 10, contentType)));

    // ---- Did you mean

    private static TestCatalog WideMiddleBand() => ShopRobot.Catalog(matcher: ShopRobot.Scripted());

    [Fact]
    public void Respond_WhenConfidenceIsInTheMiddleBand_OffersTheCandidatesTitles()
    {
        var chat = new BotChat(WideMiddleBand());

        var turn = chat.Say("节假日工作日时间"); // the holiday rule at 0.45, the weekday rule at 0.35, the hours rule at 0.05

        Assert.Equal([new MatchSettings().SuggestText], turn.Replies);
        var menu = Assert.Single(turn.Attachments);
        Assert.Equal(MessageKind.Menu, menu.Kind);
        Assert.Equal(["节假日安排", "工作日客服时间"], menu.MenuItems);
        Assert.False(turn.HandOffToHuman);
        Assert.Equal(1, chat.Unmatched()["节假日工作日时间"]);
    }

    [Theory]
    [InlineData("2", ShopRobot.WeekdayAnswer)]
    [InlineData("２", ShopRobot.WeekdayAnswer)]
    [InlineData("1", ShopRobot.HolidayAnswer)]
    [InlineData("工作日客服时间！", ShopRobot.WeekdayAnswer)]
    public void Respond_WhenTheVisitorPicksAChoice_AnswersThatRule(string pick, string answer)
    {
        var chat = new BotChat(WideMiddleBand());
        chat.Say("节假日工作日时间");

        Assert.Equal([answer], chat.Say(pick).Replies);
    }

    [Fact]
    public void Respond_WhenTheChoicesWereOfferedEarlier_DoesNotTakeANumberAsAPick()
    {
        var chat = new BotChat(WideMiddleBand());
        chat.Say("节假日工作日时间");
        chat.Say("退款多久到账");

        var turn = chat.Say("2");

        Assert.NotEqual([ShopRobot.WeekdayAnswer], turn.Replies);
    }

    [Fact]
    public void Respond_WhenTheNumberIsPastTheChoices_MatchesItAsText()
    {
        var chat = new BotChat(WideMiddleBand());
        chat.Say("节假日工作日时间");

        var turn = chat.Say("3"); // two choices only

        Assert.Equal([new RobotReplies().Fallback.Text], turn.Replies);
    }

    [Fact]
    public void Respond_UsesTheRobotsOwnThresholds()
    {
        var usual = new BotChat(ShopRobot.Catalog(matcher: ShopRobot.Scripted()));
        var strict = new BotChat(ShopRobot.Catalog(r => r with { Matching = r.Matching with { AnswerThreshold = 0.8 } }, ShopRobot.Scripted()));
        var lenient = new BotChat(ShopRobot.Catalog(r => r with { Matching = r.Matching with { AnswerThreshold = 0.4, SuggestThreshold = 0.4 } }, ShopRobot.Scripted()));

        Assert.Equal([ShopRobot.ShippingAnswer], usual.Say("寄过来要花多少钱").Replies); // 0.75
        Assert.Equal(["运费怎么算"], Assert.Single(strict.Say("寄过来要花多少钱").Attachments).MenuItems);
        Assert.Equal([ShopRobot.HolidayAnswer], lenient.Say("节假日工作日时间").Replies); // 0.45
        Assert.Equal([ShopRobot.HoursIntro], lenient.Say("时间").Replies); // 0.4 is not below 0.4: answered
    }

    [Fact]
    public void Respond_OffersNoMoreChoicesThanTheRobotAllows()
    {
        var chat = new BotChat(ShopRobot.Catalog(r => r with { Matching = r.Matching with { MaxSuggestions = 1 } }, ShopRobot.Scripted()));

        Assert.Equal(["节假日安排"], Assert.Single(chat.Say("节假日工作日时间").Attachments).MenuItems);
    }

    // ---- Fallback and hand-off

    [Fact]
    public void Respond_WhenNothingMatches_GivesTheFallbackAndRecordsTheQuestion()
    {
        var chat = new BotChat(ShopRobot.Catalog());

        var turn = chat.Say("天气晴朗？");

        Assert.Equal([new RobotReplies().Fallback.Text], turn.Replies);
        Assert.False(turn.HandOffToHuman);
        Assert.Equal(1, chat.Unmatched()["天气晴朗"]);
        var entry = Assert.Single(chat.Log.Snapshot(TestCatalog.TenantId, ShopRobot.RobotId));
        Assert.Equal(["天气晴朗？"], entry.Examples);
        Assert.Equal(chat.Clock.GetUtcNow(), entry.LastAskedAt);
    }

    [Fact]
    public void Respond_AfterTheConfiguredMissesInARow_HandsOverWithTheHandOffTextToTheGroup()
    {
        var chat = new BotChat(ShopRobot.Catalog());

        var first = chat.Say(ShopRobot.Unknown[0]);
        var second = chat.Say(ShopRobot.Unknown[1]);
        var third = chat.Say(ShopRobot.Unknown[2]);

        Assert.False(first.HandOffToHuman);
        Assert.False(second.HandOffToHuman);
        Assert.True(third.HandOffToHuman);
        Assert.Equal([new HandOffSettings().Text], third.Replies);
        Assert.Equal(ShopRobot.HandOffGroupId, third.TargetGroupId);
        Assert.Equal(3, chat.Unmatched().Count);
    }

    [Fact]
    public void Respond_WhenAGoodAnswerComesBetweenMisses_StartsCountingAgain()
    {
        var chat = new BotChat(ShopRobot.Catalog());

        chat.Say(ShopRobot.Unknown[0]);
        chat.Say(ShopRobot.Unknown[1]);
        chat.Say("退款多久到账");
        chat.Say(ShopRobot.Unknown[2]);

        Assert.False(chat.Say(ShopRobot.Unknown[3]).HandOffToHuman);
        Assert.True(chat.Say(ShopRobot.Unknown[4]).HandOffToHuman);
    }

    [Fact]
    public void Respond_WhenMissesNeverHandOver_KeepsGivingTheFallback()
    {
        var chat = new BotChat(ShopRobot.Catalog(r => r with { HandOff = r.HandOff with { AfterConsecutiveMisses = 0 } }));

        for (var i = 0; i < 10; i++)
        {
            Assert.False(chat.Say(ShopRobot.Unknown[i % ShopRobot.Unknown.Count]).HandOffToHuman);
        }
    }

    [Theory]
    [InlineData("转人工")]
    [InlineData("我要轉人工！！")]
    [InlineData("请帮我找人工，谢谢")]
    [InlineData("Can I TALK to a human, please?")]
    public void Respond_WhenTheMessageHasAHandOffKeyword_HandsOverAtOnce(string message)
    {
        var chat = new BotChat(ShopRobot.Catalog());

        var turn = chat.Say(message);

        Assert.True(turn.HandOffToHuman);
        Assert.Equal([new HandOffSettings().Text], turn.Replies);
        Assert.Equal(ShopRobot.HandOffGroupId, turn.TargetGroupId);
        Assert.Empty(chat.Unmatched());
    }

    [Fact]
    public void Respond_WhenTheRobotHasNoHandOffGroup_LetsRoutingDecide()
    {
        var chat = new BotChat(ShopRobot.Catalog(r => r with { HandOff = r.HandOff with { TargetGroupId = null } }));

        var turn = chat.Say("转人工");

        Assert.True(turn.HandOffToHuman);
        Assert.Null(turn.TargetGroupId);
    }

    // ---- Repeated question

    [Fact]
    public void Respond_WhenTheSameQuestionComesAgain_GivesTheRepeatedReply()
    {
        var chat = new BotChat(ShopRobot.Catalog());

        Assert.Equal([ShopRobot.RefundAnswer], chat.Say("退款多久到账").Replies);
        Assert.Equal([new RobotReplies().Repeated.Text], chat.Say("退款多久到账？").Replies);
        Assert.Equal([new RobotReplies().Repeated.Text], chat.Say("钱什么时候退回来").Replies); // the same rule again
        Assert.Equal([ShopRobot.ShippingAnswer], chat.Say("运费怎么算").Replies);
    }

    [Fact]
    public void Respond_WithARepeatThresholdOfThree_AnswersTwiceThenGivesTheRepeatedReply()
    {
        var chat = new BotChat(ShopRobot.Catalog(r => r with { Replies = r.Replies with { RepeatThreshold = 3 } }));

        Assert.Equal([ShopRobot.RefundAnswer], chat.Say("退款多久到账").Replies);
        Assert.Equal([ShopRobot.RefundAnswer], chat.Say("退款多久到账").Replies);
        Assert.Equal([new RobotReplies().Repeated.Text], chat.Say("退款多久到账").Replies);
    }

    [Fact]
    public void Respond_WhenAnotherTurnComesBetween_AnswersAgain()
    {
        var chat = new BotChat(ShopRobot.Catalog());

        chat.Say("退款多久到账");
        chat.Say(ShopRobot.Unknown[0]);

        Assert.Equal([ShopRobot.RefundAnswer], chat.Say("退款多久到账").Replies);
    }

    [Fact]
    public void Respond_WhenTheRepeatedReplyIsOff_AnswersAgain()
    {
        var chat = new BotChat(ShopRobot.Catalog(r => r with { Replies = r.Replies with { Repeated = new AutoReply(false, "x") } }));

        chat.Say("退款多久到账");

        Assert.Equal([ShopRobot.RefundAnswer], chat.Say("退款多久到账").Replies);
    }

    // ---- Time-out

    [Fact]
    public void IdleTimeoutAndTimedOut_FollowTheRobotsTimeOutReply()
    {
        var on = new BotChat(ShopRobot.Catalog(r => r with { Replies = r.Replies with { TimeoutAfter = TimeSpan.FromSeconds(90) } }));
        var off = new BotChat(ShopRobot.Catalog(r => r with { Replies = r.Replies with { Timeout = new AutoReply(false, "x") } }));

        Assert.Equal(TimeSpan.FromSeconds(90), on.Responder.IdleTimeout(TestCatalog.TenantId, ShopRobot.RobotId));
        Assert.Equal([new RobotReplies().Timeout.Text], on.TimedOut().Replies);
        Assert.Null(off.Responder.IdleTimeout(TestCatalog.TenantId, ShopRobot.RobotId));
        Assert.Same(BotTurn.Silent, off.TimedOut());
        Assert.Null(on.Responder.IdleTimeout(TestCatalog.TenantId, 999));
    }
}
