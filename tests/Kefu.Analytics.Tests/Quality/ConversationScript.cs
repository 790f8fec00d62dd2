using Kefu.Analytics.Quality;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Analytics.Tests.Quality;

/// <summary>
/// Writes a conversation and its messages by hand for the rule engine: times are seconds after the pick-up at
/// <see cref="Start"/>.
/// </summary>
internal sealed class ConversationScript
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public const long AgentId = 501;
    public const long VisitorId = 601;

    private readonly List<Message> _messages = [];
    private long _nextId = 1000;

    public Rating? Rating { get; set; }

    public bool PickedUp { get; set; } = true;

    public double? ClosedAfter { get; set; } = 3600;

    public IReadOnlyList<Message> Messages => _messages;

    public long Visitor(double at, string text = "你好", int? sentiment = null) => Add(ParticipantKind.Visitor, VisitorId, at, text, sentiment);

    public long Agent(double at, string text = "您好，请讲") => Add(ParticipantKind.Agent, AgentId, at, text, null);

    public long Bot(double at, string text) => Add(ParticipantKind.Bot, 0, at, text, null);

    public Conversation Conversation()
    {
        var firstAgent = _messages.FirstOrDefault(m => m.SenderKind == ParticipantKind.Agent);
        return new Conversation
        {
            Id = 77,
            TenantId = 1,
            VisitorId = VisitorId,
            AgentId = PickedUp ? AgentId : null,
            State = ClosedAfter is null ? ConversationState.InService : ConversationState.Closed,
            CreatedAt = Start.AddSeconds(-30),
            AssignedAt = PickedUp ? Start : null,
            FirstAgentMessageAt = PickedUp ? firstAgent?.SentAt : null,
            ClosedAt = ClosedAfter is { } closed ? Start.AddSeconds(closed) : null,
            Rating = Rating,
        };
    }

    public InspectionResult Inspect(QualityRules rules) =>
        new QualityInspector(QualityRulesValidator.Validate(rules)).Inspect(Conversation(), Messages, Start.AddSeconds(7200));

    /// <summary>Rules with every rule switched off, for testing one rule at a time.</summary>
    public static QualityRules Off() => new()
    {
        NegativeSentiment = new() { Enabled = false },
        EvaluationWords = new() { Enabled = false },
        Rating = new() { Enabled = false },
        ReplyTiming = new() { Enabled = false },
        FirstResponse = new() { Enabled = false },
        BannedPhrases = new() { Enabled = false },
        VisitorComplaints = new() { Enabled = false },
    };

    private long Add(ParticipantKind sender, long senderId, double at, string text, int? sentiment)
    {
        var id = _nextId++;
        _messages.Add(new Message
        {
            Id = id,
            ConversationId = 77,
            SenderKind = sender,
            SenderId = senderId,
            Kind = MessageKind.Text,
            Text = text,
            SentAt = Start.AddSeconds(at),
            Sentiment = sentiment is { } label ? new TextSentiment(label, label * 0.8f) : null,
        });
        return id;
    }
}
