using Kefu.Bots.Optimization;
using Kefu.Bots.Tests.Optimization;
using Kefu.Model;
using Kefu.Testing;
using Microsoft.Extensions.Options;

namespace Kefu.Bots.Tests.Conversations;

/// <summary>One visitor talking to a <see cref="KnowledgeBotResponder"/> over a <see cref="TestCatalog"/>, as Core's worker would call it.</summary>
internal sealed class BotChat
{
    private readonly BotSession _session = new();
    private readonly Conversation _conversation;

    public BotChat(TestCatalog catalog, long robotId = ShopRobot.RobotId)
    {
        Catalog = catalog;
        RobotId = robotId;
        Clock = new FakeTimeProvider();
        Store = new MemoryDocumentStore();
        Log = new UnmatchedQuestionLog(Store, Clock, Options.Create(new BotOptimizationOptions { FlushDelay = TimeSpan.FromSeconds(5) }));
        Responder = new KnowledgeBotResponder(catalog, Log, Clock);
        _conversation = new Conversation { Id = 42, TenantId = TestCatalog.TenantId, VisitorId = 4242, State = ConversationState.Bot };
    }

    public TestCatalog Catalog { get; }

    public long RobotId { get; }

    public FakeTimeProvider Clock { get; }

    public MemoryDocumentStore Store { get; }

    public UnmatchedQuestionLog Log { get; }

    public KnowledgeBotResponder Responder { get; }

    public BotTurn Start() => Responder.Start(TestCatalog.TenantId, RobotId, _conversation);

    public BotTurn Say(string text) => Responder.Respond(new BotInput(TestCatalog.TenantId, RobotId, _conversation, text, _session));

    public BotTurn TimedOut() => Responder.TimedOut(new BotInput(TestCatalog.TenantId, RobotId, _conversation, string.Empty, _session));

    /// <summary>The unmatched questions recorded so far, as their normal forms with counts.</summary>
    public IReadOnlyDictionary<string, long> Unmatched() => Log.Snapshot(TestCatalog.TenantId, RobotId).ToDictionary(e => e.Question, e => e.Count);
}
