using Kefu.Bots.Knowledge;
using Kefu.Bots.Matching;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Bots.Tests.Knowledge;

/// <summary>A tenant with <c>AddKefu().AddBots()</c> on the in-memory adapters, and shortcuts to the knowledge services.</summary>
internal sealed class KnowledgeFixture : IAsyncDisposable
{
    private KnowledgeFixture(KefuTestHarness harness)
    {
        Harness = harness;
        Robots = harness.Services.GetRequiredService<IRobots>();
        Knowledge = harness.Services.GetRequiredService<IKnowledgeBase>();
        Catalog = harness.Services.GetRequiredService<BotCatalog>();
        Documents = harness.Services.GetRequiredService<IConfigurationDocumentStore>();
    }

    /// <summary>Starts a tenant; <paramref name="matcher"/> replaces the statistical matcher when given.</summary>
    public static async Task<KnowledgeFixture> StartAsync(IQuestionMatcher? matcher = null)
    {
        var harness = await KefuTestHarness.StartAsync(build: b =>
        {
            b.Services.TryAddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
            b.Services.TryAddSingleton(typeof(ILogger<>), typeof(Logger<>));
            b.AddBots();
            if (matcher is not null)
            {
                b.Services.Replace(ServiceDescriptor.Singleton(matcher));
            }
        });
        return new KnowledgeFixture(harness);
    }

    public KefuTestHarness Harness { get; }

    public long TenantId => Harness.TenantId;

    public IRobots Robots { get; }

    public IKnowledgeBase Knowledge { get; }

    public BotCatalog Catalog { get; }

    public IConfigurationDocumentStore Documents { get; }

    /// <summary>A valid robot draft with two menus.</summary>
    public static Robot Draft(string name = "Shop assistant") => new()
    {
        Name = name,
        Menus =
        [
            new RobotMenu(1, "Orders", [new RobotMenuItem("Where is my parcel?"), new RobotMenuItem("Cancel an order")]),
            new RobotMenu(2, "Payments", [new RobotMenuItem("Refunds")]),
        ],
    };

    public async Task<Robot> CreateRobotAsync(string name = "Shop assistant") => await Robots.CreateAsync(TenantId, Draft(name));

    /// <summary>Adds a text rule answering "Answer: first question".</summary>
    public async Task<KnowledgeRule> AddRuleAsync(long robotId, params string[] questions) =>
        await Knowledge.AddRuleAsync(TenantId, robotId, Rule(questions));

    public static KnowledgeRule Rule(params string[] questions) => new()
    {
        Questions = questions,
        Answer = KnowledgeAnswer.FromText("Answer: " + questions[0]),
    };

    public Task WhenIndexedAsync(long robotId) => Catalog.WhenIndexedAsync(TenantId, robotId).WaitAsync(TimeSpan.FromSeconds(30));

    public async Task<KnowledgeMatch> MatchAsync(long robotId, string question) => await Knowledge.MatchAsync(TenantId, robotId, question);

    /// <summary>Every bots document of the tenant (kind, key, version, content), to prove that nothing changed.</summary>
    public async Task<IReadOnlyList<ConfigurationDocument>> StoredAsync() =>
        [.. await Documents.ListAsync(TenantId, BotDocuments.RobotKind), .. await Documents.ListAsync(TenantId, BotDocuments.RuleKind)];

    public async Task<SkillGroup> AddGroupAsync(string name) => await Harness.Kefu.Directory.AddSkillGroupAsync(TenantId, name);

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}

/// <summary>
/// The n-gram matcher behind a gate: while <see cref="Close"/>d, <see cref="Build"/> blocks until <see cref="Open"/>;
/// counts its builds and can fail the next one.
/// </summary>
internal sealed class GatedMatcher : IQuestionMatcher, IDisposable
{
    private readonly NgramQuestionMatcher _inner = new();
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private int _builds;
    private int _failNext;

    public string Name => "gated";

    public int Builds => Volatile.Read(ref _builds);

    public void Close() => _gate.Reset();

    public void Open() => _gate.Set();

    public void FailNext() => Volatile.Write(ref _failNext, 1);

    /// <summary>Waits until <paramref name="count"/> builds have started.</summary>
    public async Task WaitForBuildsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Builds < count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    public IQuestionIndex Build(IReadOnlyList<LabelledQuestion> questions, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _builds);
        _gate.Wait(cancellationToken);
        if (Interlocked.Exchange(ref _failNext, 0) == 1)
        {
            throw new InvalidOperationException("The matcher failed on purpose.");
        }

        return _inner.Build(questions, cancellationToken);
    }

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
    }
}
