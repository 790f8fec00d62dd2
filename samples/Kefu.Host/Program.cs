using System.Globalization;
using Kefu;
using Kefu.Events;
using Kefu.Model;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;

// One conversation on the in-memory adapters: a visitor queues, an agent comes online and serves, the agent ends,
// the visitor rates, the agent wraps up; then the transcript and the event stream are printed.
var services = new ServiceCollection();
services.AddKefu().AddRouting().AddBots();
await using var provider = services.BuildServiceProvider();
var kefu = provider.GetRequiredService<IKefu>();
using var events = provider.GetRequiredService<IKefuTransport>().Subscribe(new EventFilter());

var tenant = await kefu.Organisation.CreateTenantAsync(new NewTenant { Name = "示例公司" });
var t = tenant.Id;
var billing = await kefu.Directory.AddWrapUpCategoryAsync(t, null, "账单问题");
var agent = await kefu.Directory.AddAgentAsync(t, new NewAgent
{
    Account = "jane@example.com",
    Password = "change-me-123",
    Name = "Jane",
    Nickname = "小简",
    EmployeeNumber = "E001",
    MaxConcurrentChats = 5,
});

var conversation = await kefu.Conversations.OpenAsync(t, new ConversationRequest
{
    Visitor = new VisitorProfile { Name = "游客 49238", Nickname = "AA", Phone = "13500000099", Address = "上海市卢湾区" },
    ChannelKind = ChannelKind.Web,
});
Console.WriteLine($"Conversation {conversation.Id} opened: {conversation.State}");

await kefu.Conversations.SetStatusAsync(t, agent.Id, AgentStatus.Online);
var visitor = Participant.Visitor(conversation.VisitorId);
var jane = Participant.Agent(agent.Id);
await kefu.Conversations.SendAsync(t, conversation.Id, visitor, MessageContent.FromText("你好，我这个月的账单多扣了一笔钱"), "v-1");
await kefu.Conversations.SendAsync(t, conversation.Id, jane, MessageContent.FromText("您好，我帮您查一下，请稍等"), "a-1");
await kefu.Conversations.SendAsync(t, conversation.Id, jane, MessageContent.FromText("已为您退回多扣的 30 元"), "a-2");
await kefu.Conversations.SendAsync(t, conversation.Id, visitor, MessageContent.FromText("好的，谢谢！"), "v-2");
await kefu.Conversations.EndAsync(t, conversation.Id, jane);
await kefu.Conversations.RateAsync(t, conversation.Id, conversation.VisitorId, new RatingInput(5, Comment: "处理很快"));
await kefu.Conversations.SubmitWrapUpAsync(t, conversation.Id, agent.Id, new WrapUpInput(billing.Id, Resolved: true, Detail: "重复扣费", Reply: "已退款"));

var final = await kefu.Conversations.GetAsync(t, conversation.Id);
Console.WriteLine();
Console.WriteLine($"会话编号: {final.Id}    接待客服: {agent.DisplayName}    状态: {final.State} ({final.CloseReason})");
Console.WriteLine($"评价: {final.Rating!.Level}/{final.Rating.LevelCount} {final.Rating.Comment}    问题类型: {billing.Name}    解决状态: {(final.WrapUp!.Resolved == true ? "已解决" : "未解决")}");
Console.WriteLine();
foreach (var m in await kefu.History.GetMessagesAsync(t, conversation.Id, limit: 100))
{
    var who = m.SenderKind switch
    {
        ParticipantKind.Visitor => "访客",
        ParticipantKind.Agent => agent.DisplayName,
        _ => "系统",
    };
    Console.WriteLine($"  {m.SentAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {who}: {m.Text}");
}

Console.WriteLine();
Console.WriteLine("Events, in commit order:");
while (events.Events.TryRead(out var e))
{
    Console.WriteLine($"  #{e.Sequence,-3} {e.PayloadCase}");
}
