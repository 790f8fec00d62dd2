using FsCheck;
using FsCheck.Fluent;
using Kefu.Analytics.Reporting;
using Kefu.Events;
using Kefu.Model;

namespace Kefu.Analytics.Tests.Reporting;

/// <summary>
/// Random conversation scripts (arrivals on three channels with and without an association, returning visitors,
/// visitor and agent messages, ends by agents and visitors, abandonments, presence changes that queue and requeue,
/// ratings before and after the close, proactive invitations, visitor tags, time passing across hours and days) run
/// through the real engine; every computed metric under random dimensions and granularities must equal a brute-force
/// recomputation from the recorded events, before and after the sink is handed every event again.
/// </summary>
public sealed class ReportingPropertyTests
{
    public readonly record struct Op(int Kind, int A, int B);

    private static readonly Gen<Op[]> Operations =
        (from kind in Gen.Choose(0, 20)
         from a in Gen.Choose(0, 999)
         from b in Gen.Choose(0, 999)
         select new Op(kind, a, b)).ListOf().Select(ops => ops.Take(80).ToArray());

    private static readonly ChannelKind[] Channels = [ChannelKind.Web, ChannelKind.Wechat, ChannelKind.App];

    [Fact]
    public async Task Reports_OfRandomScripts_EqualABruteForceRecomputation()
    {
        var property = Prop.ForAll(Operations.ToArbitrary(), Gen.Choose(0, 10_000).ToArbitrary(), (Func<Op[], int, Task<bool>>)RunAsync);
        await Task.Run(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(100).WithEndSize(80), property));
    }

    private static async Task<bool> RunAsync(Op[] ops, int seed)
    {
        await using var r = await ReportingHarness.StartAsync();
        var t = r.TenantId;
        var kefu = r.H.Kefu;
        var agents = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            agents.Add((await r.AgentAsync($"A{i}", capacity: 1 + (i / 2), online: i != 2)).Id);
        }

        var channel = await kefu.Directory.AddChannelAsync(t, ChannelKind.App, "App", "app_code");
        var association = await kefu.Directory.AddAssociationAsync(t, channel.Id, "Main app");
        long[] tags = [(await kefu.Directory.AddTagAsync(t, TagScope.Visitor, "VIP")).Id, (await kefu.Directory.AddTagAsync(t, TagScope.Visitor, "新客")).Id];
        var visitors = new List<long>();
        var conversations = new List<Conversation>();
        var start = r.Now;
        AgentStatus[] statuses = [AgentStatus.Online, AgentStatus.Offline, AgentStatus.Busy, AgentStatus.Online];

        foreach (var op in ops)
        {
            await r.H.AdvanceAsync(TimeSpan.FromSeconds(op.B % 7));
            var open = await kefu.Conversations.ListOpenAsync(t);
            try
            {
                switch (op.Kind)
                {
                    case 0 or 1 or 13 or 14:
                        long? visitor = op.B % 3 == 0 && visitors.Count > 0 ? visitors[op.A % visitors.Count] : null;
                        var c = await r.OpenAsync(Channels[op.A % 3], visitor, op.A % 2 == 0 ? association.Id : null);
                        conversations.Add(c);
                        if (!visitors.Contains(c.VisitorId))
                        {
                            visitors.Add(c.VisitorId);
                        }

                        break;
                    case 2 or 3 or 17 or 18 when open.Count > 0:
                        var inService = open.Where(x => x.State == ConversationState.InService).ToList();
                        await r.VisitorSaysAsync(op.B % 4 != 0 && inService.Count > 0 ? inService[op.A % inService.Count] : open[op.A % open.Count]);
                        break;
                    case 4 or 5 or 19 or 20:
                        var served = open.Where(x => x.State == ConversationState.InService).ToList();
                        if (served.Count > 0)
                        {
                            var s = served[op.A % served.Count];
                            await r.AgentSaysAsync(s, s.AgentId ?? 0);
                        }

                        break;
                    case 6 or 15:
                        var ending = open.Where(x => x.State == ConversationState.InService).ToList();
                        if (ending.Count > 0)
                        {
                            var s = ending[op.A % ending.Count];
                            await kefu.Conversations.EndAsync(t, s.Id, Participant.Agent(s.AgentId ?? 0));
                        }

                        break;
                    case 7 or 16 when open.Count > 0:
                        var leaving = open[op.A % open.Count];
                        await kefu.Conversations.EndAsync(t, leaving.Id, Participant.Visitor(leaving.VisitorId));
                        break;
                    case 8:
                        await kefu.Conversations.SetStatusAsync(t, agents[op.A % agents.Count], statuses[op.B % statuses.Length]);
                        break;
                    case 9 when conversations.Count > 0:
                        var rated = conversations[op.A % conversations.Count];
                        await kefu.Conversations.RateAsync(t, rated.Id, rated.VisitorId, new RatingInput(1 + (op.B % 5)));
                        break;
                    case 10:
                        await r.H.AdvanceAsync(op.A % 10 == 0 ? TimeSpan.FromHours(op.B % 30) : TimeSpan.FromSeconds(op.B));
                        break;
                    case 11 when visitors.Count > 0:
                        // Tags are read when the sink records a close: deliver first so a change never overtakes one.
                        await r.DeliveredAsync();
                        var who = visitors[op.A % visitors.Count];
                        var tag = tags[op.B % 2];
                        if (op.B % 3 == 0)
                        {
                            await kefu.Conversations.RemoveVisitorTagAsync(t, who, tag);
                        }
                        else
                        {
                            await kefu.Conversations.AddVisitorTagAsync(t, who, tag);
                        }

                        break;
                    case 12 when visitors.Count > 0:
                        conversations.Add(await kefu.Conversations.InviteVisitorAsync(t, agents[op.A % agents.Count], visitors[op.B % visitors.Count]));
                        break;
                    default:
                        break;
                }
            }
            catch (KefuException)
            {
                // Not allowed in this state (already rated, at capacity, offline, visitor already in a conversation …): the script goes on.
            }
        }

        await r.DeliveredAsync();
        var oracle = ReportOracle.From(r.H.Events.Events);
        var random = new Random(seed);
        var computed = MetricCatalog.All.Where(m => m.IsComputed).Select(m => m.Id).ToArray();
        var day = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero);
        for (var round = 0; round < 6; round++)
        {
            if (round == 3)
            {
                await r.ReplayAsync();
            }

            var dimensions = Enum.GetValues<ReportDimension>().OrderBy(_ => random.Next()).Take(random.Next(3)).ToArray();
            var granularity = (ReportGranularity)random.Next(5);
            var from = random.Next(2) == 0 ? day : start.AddHours(random.Next(-2, 6));
            from = new DateTimeOffset(from.UtcTicks - (from.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
            var to = from.AddDays(1 + random.Next(4));
            var offset = TimeSpan.FromHours(random.Next(3) == 0 ? random.Next(-12, 15) : 0);
            foreach (var metrics in computed.Chunk(ReportQuery.MaxMetrics))
            {
                var query = new ReportQuery { From = from, To = to, Metrics = metrics, Dimensions = dimensions, Granularity = granularity, UtcOffset = offset };
                var actual = await r.Reports.RunAsync(t, query);
                var expected = oracle.Run(query);
                Compare(expected, actual, query);
            }
        }

        return true;
    }

    private static void Compare(Dictionary<string, double?[]> expected, ReportResult actual, ReportQuery query) =>
        _ = ReportOracle.Compare(expected, query.Metrics, actual, query, (i, key, e, a) =>
            Assert.Fail($"{query.Metrics[i]} at {key} by [{string.Join(",", query.Dimensions)}] {query.Granularity} {query.From:O}–{query.To:O}: expected {e}, reported {a}"));
}
