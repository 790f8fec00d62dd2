using Kefu.Analytics.Quality;
using Kefu.Events;
using Kefu.Model;
using Kefu.Storage;
using Kefu.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace Kefu.Analytics.Tests.Quality;

/// <summary>Inspection on the engine: at the close, again on a late rating, on demand; results stored, listed and replaced.</summary>
public class QualityInspectionTests
{
    [Fact]
    public async Task ClosedConversation_WithASlowFirstResponseAndABadRating_IsFlaggedWithThoseReasons()
    {
        await using var q = await QualityHarness.StartAsync();
        var c = await q.OpenAsync();
        await q.VisitorAsync(c, "你好，我的订单三天了还没发货");
        await q.H.AdvanceAsync(TimeSpan.FromMinutes(3));
        var reply = await q.AgentSaysAsync(c, "您好，我帮您查一下");
        await q.VisitorAsync(c, "好的");
        await q.AgentSaysAsync(c, "已经催仓库了，今天发出");
        await q.RateAsync(c, 1, "等太久了");

        Assert.Null(await q.Quality.GetResultAsync(q.TenantId, c.Id)); // nothing before the close
        await q.CloseAsync(c);

        var result = await q.Quality.GetResultAsync(q.TenantId, c.Id);
        Assert.NotNull(result);
        Assert.True(result.Flagged);
        Assert.Equal(["rating.low", "first_response.slow"], result.Reasons.Select(r => r.Code));
        Assert.Equal(100 - 30 - 10, result.Score);
        var slow = result.Reasons.Single(r => r.Rule == QualityRuleKind.SlowFirstResponse);
        Assert.Equal(180, slow.Values["seconds"]);
        Assert.Equal([reply], slow.MessageIds);
        Assert.Contains("180秒", slow.Message, StringComparison.Ordinal);
        var rating = result.Reasons.Single(r => r.Rule == QualityRuleKind.Rating);
        Assert.Equal(1, rating.Values["level"]);
        Assert.Equal(5, rating.Values["levelCount"]);
        Assert.Equal((await q.AgentAsync()).Id, result.AgentId);
        Assert.Equal(c.VisitorId, result.VisitorId);
        Assert.Equal(c.CreatedAt, result.ConversationCreatedAt);
        Assert.NotNull(result.ClosedAt);
        Assert.Equal(q.H.Clock.GetUtcNow(), result.InspectedAt);
        Assert.True(result.MessagesInspected >= 4);
    }

    [Fact]
    public async Task LateRating_ReinspectsTheClosedConversation_ReplacingTheEarlierResult()
    {
        await using var q = await QualityHarness.StartAsync();
        var c = await q.ServedAsync(TimeSpan.FromSeconds(10));
        var before = await q.Quality.GetResultAsync(q.TenantId, c.Id);
        Assert.NotNull(before);
        Assert.False(before.Flagged);
        Assert.Equal(100, before.Score);

        await q.H.AdvanceAsync(TimeSpan.FromMinutes(5));
        await q.RateAsync(c, 1, "客服态度差，我要投诉");

        var after = await q.Quality.GetResultAsync(q.TenantId, c.Id);
        Assert.NotNull(after);
        Assert.True(after.Flagged);
        Assert.Equal(["rating.low", "rating.comment"], after.Reasons.Select(r => r.Code));
        Assert.Equal(["态度差", "投诉"], after.Reasons[1].Words);
        Assert.Equal(70, after.Score);
        Assert.True(after.InspectedAt > before.InspectedAt);
        var documents = await q.Documents.ListAsync(q.TenantId, "analytics.inspection.2026-01-05");
        var document = Assert.Single(documents); // replaced, not added
        Assert.Equal(2, document.Version);
    }

    [Fact]
    public async Task EventsDeliveredAgain_ReplaceTheResult_NeverDuplicateIt()
    {
        await using var q = await QualityHarness.StartAsync();
        var c = await q.ServedAsync(TimeSpan.FromMinutes(2), rating: 2);
        var sink = q.H.Services.GetServices<IEventSink>().OfType<QualityInspectionSink>().Single();
        var events = q.H.Events.Events.Where(e => e.ConversationId == c.Id
            && e.PayloadCase is KefuEvent.PayloadOneofCase.SessionClosed or KefuEvent.PayloadOneofCase.RatingSubmitted).ToList();
        Assert.Equal(2, events.Count);
        var first = await q.Quality.GetResultAsync(q.TenantId, c.Id);

        await sink.HandleAsync(q.TenantId, [.. events, .. events], default);

        var again = await q.Quality.GetResultAsync(q.TenantId, c.Id);
        Assert.NotNull(first);
        Assert.NotNull(again);
        Assert.Equal(first.Reasons.Select(r => r.Code), again.Reasons.Select(r => r.Code));
        Assert.Equal(first.Score, again.Score);
        var document = Assert.Single(await q.Documents.ListAsync(q.TenantId, "analytics.inspection.2026-01-05"));
        Assert.Equal(2, document.Version); // one more write for the whole batch
    }

    [Fact]
    public async Task RatingWhileOpen_IsInspectedAtTheClose_NotBefore()
    {
        await using var q = await QualityHarness.StartAsync();
        var c = await q.OpenAsync();
        await q.VisitorAsync(c, "在吗");
        await q.AgentSaysAsync(c, "在的");
        await q.RateAsync(c, 5);

        Assert.Null(await q.Quality.GetResultAsync(q.TenantId, c.Id));

        await q.CloseAsync(c);
        var result = await q.Quality.GetResultAsync(q.TenantId, c.Id);
        Assert.NotNull(result);
        Assert.Empty(result.Reasons);
    }

    [Fact]
    public async Task InspectAsync_AfterTheRulesChange_AppliesTheNewRules()
    {
        await using var q = await QualityHarness.StartAsync();
        var c = await q.ServedAsync(TimeSpan.FromMinutes(2));
        var before = await q.Quality.GetResultAsync(q.TenantId, c.Id);
        Assert.NotNull(before);
        Assert.Equal(["first_response.slow"], before.Reasons.Select(r => r.Code));
        Assert.Equal(0, before.RulesVersion);

        var rules = await q.Quality.GetRulesAsync(q.TenantId);
        await q.Quality.SetRulesAsync(q.TenantId, rules with { FirstResponse = rules.FirstResponse with { MaxSeconds = 300 } });
        Assert.Equal(before, await q.Quality.GetResultAsync(q.TenantId, c.Id), ResultComparer.Instance); // stored results stay

        var after = await q.Quality.InspectAsync(q.TenantId, c.Id);

        Assert.Empty(after.Reasons);
        Assert.Equal(1, after.RulesVersion);
        Assert.Equal(100, (await q.Quality.GetResultAsync(q.TenantId, c.Id))?.Score);
    }

    [Fact]
    public async Task InspectAsync_UnknownConversation_IsNotFound_AndGetResultIsNull()
    {
        await using var q = await QualityHarness.StartAsync();

        var ex = await Assert.ThrowsAsync<KefuNotFoundException>(async () => await q.Quality.InspectAsync(q.TenantId, 12345));

        Assert.Equal("Conversation", ex.Entity);
        Assert.Null(await q.Quality.GetResultAsync(q.TenantId, 12345));
    }

    [Fact]
    public async Task List_ByDateRange_AndFlaggedOnly_NewestFirst()
    {
        await using var q = await QualityHarness.StartAsync();
        var day1 = q.H.Clock.GetUtcNow();
        var a = await q.ServedAsync(TimeSpan.FromSeconds(5));
        await q.H.AdvanceAsync(TimeSpan.FromDays(1));
        var b = await q.ServedAsync(TimeSpan.FromSeconds(5), rating: 1); // flagged
        await q.H.AdvanceAsync(TimeSpan.FromHours(1));
        var c = await q.ServedAsync(TimeSpan.FromSeconds(5));
        await q.H.AdvanceAsync(TimeSpan.FromDays(1));
        var d = await q.ServedAsync(TimeSpan.FromSeconds(5), rating: 1); // flagged

        var all = await q.Quality.ListAsync(q.TenantId, new InspectionQuery { From = day1, To = q.H.Clock.GetUtcNow().AddMinutes(1) });
        Assert.Equal([d.Id, c.Id, b.Id, a.Id], all.Items.Select(r => r.ConversationId));
        Assert.Equal(4, all.Total);

        var secondDay = await q.Quality.ListAsync(q.TenantId, new InspectionQuery { From = new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero), To = new DateTimeOffset(2026, 1, 7, 0, 0, 0, TimeSpan.Zero) });
        Assert.Equal([c.Id, b.Id], secondDay.Items.Select(r => r.ConversationId));

        var flagged = await q.Quality.ListAsync(q.TenantId, new InspectionQuery { From = day1, To = q.H.Clock.GetUtcNow().AddMinutes(1), FlaggedOnly = true });
        Assert.Equal([d.Id, b.Id], flagged.Items.Select(r => r.ConversationId));
        Assert.All(flagged.Items, r => Assert.True(r.Flagged));

        var page = await q.Quality.ListAsync(q.TenantId, new InspectionQuery { From = day1, To = q.H.Clock.GetUtcNow().AddMinutes(1), Offset = 1, PageSize = 2 });
        Assert.Equal([c.Id, b.Id], page.Items.Select(r => r.ConversationId));
        Assert.Equal(4, page.Total);
        Assert.True(page.HasMore);

        var otherAgent = await q.Quality.ListAsync(q.TenantId, new InspectionQuery { From = day1, To = q.H.Clock.GetUtcNow(), AgentId = 1 });
        Assert.Empty(otherAgent.Items);
    }

    [Theory]
    [InlineData(0, 0, 20, "To")]
    [InlineData(1, 95, 20, "To")]
    [InlineData(0, 1, 0, "PageSize")]
    [InlineData(0, 1, 101, "PageSize")]
    public async Task List_OutOfRange_NamesTheField(int fromDay, int toDay, int pageSize, string field)
    {
        await using var q = await QualityHarness.StartAsync();
        var now = q.H.Clock.GetUtcNow();
        var query = new InspectionQuery { From = now.AddDays(fromDay), To = now.AddDays(toDay == 0 ? -1 : toDay), PageSize = pageSize };

        var ex = await Assert.ThrowsAsync<KefuValidationException>(async () => await q.Quality.ListAsync(q.TenantId, query));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public async Task Sink_WhenTheStoreFails_Throws_SoTheOutboxDeliversAgain()
    {
        var conversation = new Conversation
        {
            Id = 9,
            TenantId = 1,
            VisitorId = 2,
            AgentId = 3,
            State = ConversationState.Closed,
            CreatedAt = DateTimeOffset.UnixEpoch,
            AssignedAt = DateTimeOffset.UnixEpoch,
            ClosedAt = DateTimeOffset.UnixEpoch.AddMinutes(1),
        };
        var conversations = Substitute.For<IConversationStore>();
        conversations.GetConversationAsync(1, 9, Arg.Any<CancellationToken>()).Returns(new ValueTask<Conversation?>(conversation));
        conversations.GetMessagesAsync(1, 9, Arg.Any<long?>(), Arg.Any<int>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<IReadOnlyList<Message>>(Array.Empty<Message>()));
        var documents = Substitute.For<IConfigurationDocumentStore>();
        documents.GetAsync(1, Arg.Any<string>(), Arg.Any<string>(), Arg.Any<CancellationToken>()).Returns(new ValueTask<ConfigurationDocument?>((ConfigurationDocument?)null));
        documents.PutAsync(1, Arg.Any<string>(), Arg.Any<string>(), Arg.Any<string>(), Arg.Any<long>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>())
            .Returns(_ => ValueTask.FromException<ConfigurationDocument>(new IOException("disk full")));
        var inspection = new QualityInspection(conversations, documents, Substitute.For<IDirectoryStore>(), TimeProvider.System, Options.Create(new QualityInspectionOptions()));
        var sink = new QualityInspectionSink(conversations, inspection);
        var closed = new KefuEvent { TenantId = 1, ConversationId = 9, SessionClosed = new ServiceSessionClosedEvent() };

        await Assert.ThrowsAsync<IOException>(async () => await sink.HandleAsync(1, [closed], default));

        await documents.Received(1).PutAsync(1, "analytics.inspection.1970-01-01", "9", Arg.Any<string>(), 0, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    /// <summary>Compares results by their content (records compare lists by reference).</summary>
    private sealed class ResultComparer : IEqualityComparer<InspectionResult?>
    {
        public static readonly ResultComparer Instance = new();

        public bool Equals(InspectionResult? x, InspectionResult? y) =>
            x is not null && y is not null && x.ConversationId == y.ConversationId && x.Score == y.Score && x.Flagged == y.Flagged
            && x.InspectedAt == y.InspectedAt && x.RulesVersion == y.RulesVersion
            && x.Reasons.Select(r => r.Code).SequenceEqual(y.Reasons.Select(r => r.Code));

        public int GetHashCode(InspectionResult? obj) => obj?.ConversationId.GetHashCode() ?? 0;
    }
}
