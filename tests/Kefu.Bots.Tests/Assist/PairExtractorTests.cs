using Kefu.Bots.Assist;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Bots.Tests.Assist;

/// <summary>Which messages make a question–answer pair.</summary>
public class PairExtractorTests
{
    private long _id;

    private Message M(ParticipantKind sender, string text, MessageKind kind = MessageKind.Text, bool recalled = false) => new()
    {
        Id = ++_id,
        ConversationId = 1,
        SenderKind = sender,
        Kind = kind,
        Text = text,
        SentAt = DateTimeOffset.UnixEpoch,
        Recalled = recalled,
    };

    private Message V(string text) => M(ParticipantKind.Visitor, text);

    private Message A(string text) => M(ParticipantKind.Agent, text);

    [Fact]
    public void Extract_JoinsTheVisitorsMessagesSinceTheLastReply_WithTheAgentsConsecutiveReplies()
    {
        var pairs = PairExtractor.Extract(
        [
            V("在吗"), V("我想问一下"), V("订单什么时候发货"),
            M(ParticipantKind.System, "客服已接入", MessageKind.SystemNotice),
            A("一般48小时内发货。"), A("节假日顺延。"),
            V("那能加急吗"), A("可以备注加急，我们会优先处理。"),
        ]);

        Assert.Equal(
        [
            new MinedPair("我想问一下 订单什么时候发货", "一般48小时内发货。\n节假日顺延。"),
            new MinedPair("那能加急吗", "可以备注加急，我们会优先处理。"),
        ], pairs);
    }

    [Fact]
    public void Extract_SkipsRobotAnsweredQuestions_RecalledAndNonTextMessages_AndTrivialPairs()
    {
        var pairs = PairExtractor.Extract(
        [
            V("退货地址是哪里"), M(ParticipantKind.Bot, "请在订单页查看退货地址。"),
            V("转人工"), A("您好，很高兴为您服务"),                      // a greeting answer
            V("图片里这个能退吗"), M(ParticipantKind.Visitor, "", MessageKind.Image),
            M(ParticipantKind.Agent, "发错了", recalled: true), M(ParticipantKind.Agent, "", MessageKind.Image), A("可以退，七天无理由。"),
            V("谢谢你"), A("不客气，祝您生活愉快"),                          // a courtesy question
            V("还有运费险吗"), A("有"),                                     // an answer under 2 characters
        ]);

        Assert.Equal([new MinedPair("图片里这个能退吗", "可以退，七天无理由。")], pairs);
    }

    [Theory]
    [InlineData("你好", true)]
    [InlineData("您好！在吗？", true)]
    [InlineData("Hi there, thanks!", true)]
    [InlineData("好的，谢谢", true)]
    [InlineData("转人工", true)]
    [InlineData("退款", false)]
    [InlineData("this order", false)]
    [InlineData("您好，请问有什么可以帮您？", true)]
    public void IsCourtesyOnly_KnowsGreetings(string text, bool expected) => Assert.Equal(expected, PairExtractor.IsCourtesyOnly(text));
}
