using Kefu.Model;

namespace Kefu.Bots.Tests.Conversations;

/// <summary>A small shop's robot and knowledge rules, shared by the robot's and Q&amp;A optimisation's tests.</summary>
internal static class ShopRobot
{
    public const long RobotId = 7;
    public const long HandOffGroupId = 900;

    public const string RefundAnswer = "退款将在3-5个工作日内原路退回。";
    public const string AddressAnswer = "在订单详情页点击“修改地址”即可。";
    public const string ShippingAnswer = "全场满99元包邮，不满收取8元运费。";
    public const string HoursIntro = "我们的服务时间如下：";
    public const string WeekdayAnswer = "工作日 9:00–18:00 在线。";
    public const string HolidayAnswer = "节假日 10:00–16:00 在线。";
    public const string InvoiceIntro = "开票流程见下图：";
    public const string PasswordAnswer = "Click 'Forgot password' on the sign-in page.";

    public static readonly MediaAttachment InvoiceImage = new("https://cdn.example.com/help/invoice", "invoice.png", 2048, "image/png");
    public static readonly MediaAttachment Manual = new("https://cdn.example.com/help/manual.pdf", "manual.pdf", 1_048_576, "application/pdf");

    public static Robot Robot(long id = RobotId, long? handOffGroup = HandOffGroupId) => new()
    {
        Id = id,
        Name = "小智",
        HandOff = new HandOffSettings { TargetGroupId = handOffGroup, AfterConsecutiveMisses = 3 },
        Menus = [new RobotMenu(1, "请选择您想了解的时间", [new RobotMenuItem("工作日时间", WeekdayRuleId), new RobotMenuItem("节假日安排")])],
        Version = 1,
    };

    public const long RefundRuleId = 1001;
    public const long AddressRuleId = 1002;
    public const long ShippingRuleId = 1003;
    public const long HoursRuleId = 1004;
    public const long WeekdayRuleId = 1005;
    public const long HolidayRuleId = 1006;
    public const long InvoiceRuleId = 1007;
    public const long ManualRuleId = 1008;
    public const long PasswordRuleId = 1009;

    public static KnowledgeRule[] Rules() =>
    [
        new() { Id = RefundRuleId, Questions = ["退款多久到账", "退款要多长时间", "钱什么时候退回来"], Answer = KnowledgeAnswer.FromText(RefundAnswer), Keywords = ["退款+到账"] },
        new() { Id = AddressRuleId, Questions = ["怎么修改收货地址", "收货地址填错了怎么办", "能改地址吗"], Answer = KnowledgeAnswer.FromText(AddressAnswer) },
        new() { Id = ShippingRuleId, Questions = ["运费怎么算", "邮费多少钱", "包邮吗"], Answer = KnowledgeAnswer.FromText(ShippingAnswer), Keywords = ["运费"] },
        new() { Id = HoursRuleId, Questions = ["客服什么时间上班", "营业时间", "你们几点上班"], Answer = new KnowledgeAnswer(AnswerKind.Menu, HoursIntro, MenuId: 1) },
        new() { Id = WeekdayRuleId, Questions = ["工作日客服时间"], Answer = KnowledgeAnswer.FromText(WeekdayAnswer) },
        new() { Id = HolidayRuleId, Questions = ["节假日安排", "节假日客服时间"], Answer = KnowledgeAnswer.FromText(HolidayAnswer) },
        new() { Id = InvoiceRuleId, Questions = ["怎么开发票", "如何开具发票"], Answer = new KnowledgeAnswer(AnswerKind.Media, InvoiceIntro, Media: InvoiceImage) },
        new() { Id = ManualRuleId, Questions = ["产品说明书", "下载说明书"], Answer = new KnowledgeAnswer(AnswerKind.Media, null, Media: Manual) },
        new() { Id = PasswordRuleId, Questions = ["How do I reset my password", "forgot my password"], Answer = KnowledgeAnswer.FromText(PasswordAnswer) },
    ];

    /// <summary>Questions made only of characters no rule uses: the real matcher finds nothing for them, however it is calibrated.</summary>
    public static IReadOnlyList<string> Unknown { get; } = ["天气晴朗", "优惠券", "积分兑换", "手机号码", "信用卡"];

    /// <summary>
    /// A script for <see cref="ScriptedMatcher"/>: "节假日工作日时间" is the holiday rule at 0.45 or the weekday rule at 0.35
    /// (both in the default "did you mean" band), and a little like the hours rule (0.05, below it); "时间" is the hours rule at 0.4.
    /// </summary>
    public static ScriptedMatcher Scripted() => new(new Dictionary<string, (string, double)[]>
    {
        ["节假日工作日时间"] = [("节假日安排", 0.45), ("工作日客服时间", 0.35), ("营业时间", 0.05)],
        ["时间"] = [("营业时间", 0.4)],
        ["寄过来要花多少钱"] = [("运费怎么算", 0.75)],
    });

    /// <summary>A catalog holding the shop's robot (changed by <paramref name="change"/>) and its rules, matched by <paramref name="matcher"/> (the real one by default).</summary>
    public static TestCatalog Catalog(Func<Robot, Robot>? change = null, Kefu.Bots.Matching.IQuestionMatcher? matcher = null)
    {
        var catalog = new TestCatalog(matcher);
        var robot = Robot();
        catalog.Add(change is null ? robot : change(robot));
        catalog.AddRules(RobotId, Rules());
        return catalog;
    }
}
