using Kefu.Events;
using Kefu.Model;

namespace Kefu.Testing;

/// <summary>
/// Builders of valid test inputs with unique names, accounts and employee numbers. Each instance counts on its own,
/// so tests running in parallel never share state.
/// </summary>
public sealed class TestData
{
    private int _counter;

    private int Next() => Interlocked.Increment(ref _counter);

    /// <summary>The password every built agent gets.</summary>
    public const string Password = "secret-123";

    /// <summary>A new agent with a unique account and employee number.</summary>
    /// <param name="name">The name; "Agent N" when null.</param>
    /// <param name="maxConcurrentChats">Capacity.</param>
    public NewAgent Agent(string? name = null, int maxConcurrentChats = 10)
    {
        var n = Next();
        return new NewAgent
        {
            Account = $"agent{n}@example.test",
            Password = Password,
            Name = name ?? $"Agent {n}",
            EmployeeNumber = $"E{n:D4}",
            Email = $"agent{n}@example.test",
            MaxConcurrentChats = maxConcurrentChats,
        };
    }

    /// <summary>A visitor profile with a unique name, phone and e-mail.</summary>
    public VisitorProfile Visitor(string? name = null)
    {
        var n = Next();
        return new VisitorProfile
        {
            Name = name ?? $"Visitor {n}",
            Phone = $"1350000{n:D4}",
            Email = $"visitor{n}@example.test",
            ImId = $"im-visitor-{n}",
        };
    }

    /// <summary>A request to open a web conversation for a new visitor (or <paramref name="visitorId"/>).</summary>
    public ConversationRequest Conversation(long? visitorId = null, long? groupId = null, ChannelKind channel = ChannelKind.Web) => new()
    {
        VisitorId = visitorId,
        Visitor = visitorId is null ? Visitor() : null,
        ChannelKind = channel,
        GroupId = groupId,
    };

    /// <summary>A unique client message id.</summary>
    public string ClientMessageId() => $"cmid-{Next()}";
}
