using System.Globalization;
using Kefu.Routing;
using Kefu.Storage;

namespace Kefu.Analytics.Reporting.Calls;

/// <summary>
/// How the call statistics lie in <see cref="IAggregateStore"/>.
/// <para>
/// Cells are half-hours: <see cref="BucketGranularity.Minute"/> cells whose bucket starts on a whole half-hour (UTC),
/// so 48 slots, 24 slots (two half-hours each) and any offset of whole half-hours (+05:30) are exact. Hour cells would
/// add nothing the half-hours do not give, so none are written.
/// </para>
/// <para>
/// Series are <c>calls.{voice|video}.{what}</c>. A call's series have one cell per combination of its dimensions,
/// <c>agent|channel|association|type|group</c> (ids, 0 for none; type <c>i</c> inbound or <c>p</c> proactive): one
/// write per observation, and a query filters the cells of its range. The presence series (<see cref="Login"/>,
/// <see cref="NotReady"/>) have the agent id alone.
/// </para>
/// </summary>
internal static class CallSeries
{
    public const string Consumer = "analytics.calls";

    public const BucketGranularity Width = BucketGranularity.Minute;

    public const long SlotMilliseconds = 30 * 60 * 1000;

    /// <summary>Calls requested: every call that ended (count).</summary>
    public const string Requests = "req";
    /// <summary>Connected calls: count, sum and max of the wait (pick-up − request).</summary>
    public const string Connected = "conn";
    /// <summary>Connected calls that rang first: count, sum and max of the response (pick-up − offer).</summary>
    public const string Response = "resp";
    /// <summary>Abandoned calls: count, sum and max of the abandon wait (hang-up − request).</summary>
    public const string Abandoned = "aband";
    /// <summary>Talk: count, sum and max of end − pick-up.</summary>
    public const string Talk = "talk";
    public const string AnsweredWithin10 = "ans10";
    public const string AnsweredAfter10 = "ans10+";
    public const string AbandonedWithin10 = "ab10";
    public const string AbandonedAfter10 = "ab10+";
    public const string CustomerEnded = "end.visitor";
    public const string AgentEnded = "end.agent";
    /// <summary>Offers (rings) to an agent, at the offer's time.</summary>
    public const string Offers = "offers";
    /// <summary>Calls an agent started, under the inviting agent.</summary>
    public const string Proactive = "proactive";
    /// <summary>After-call work: count 1 and the seconds, in the slot of the call's end.</summary>
    public const string AfterCallWork = "acw";
    /// <summary>Login seconds, split over the half-hours they cover (agent dimension).</summary>
    public const string Login = "login";
    /// <summary>Not-ready: seconds split over the half-hours, count 1 in the half-hour the state began (agent dimension).</summary>
    public const string NotReady = "notready";

    public static string Name(MediaKind media, string what) =>
        string.Concat(media == MediaKind.Voice ? "calls.voice." : "calls.video.", what);

    public static DateTimeOffset SlotStart(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms - Mod(ms, SlotMilliseconds));

    private static long Mod(long a, long b) => ((a % b) + b) % b;

    /// <summary>The half-hour pieces of [<paramref name="startMs"/>, <paramref name="endMs"/>): each piece's slot and seconds.</summary>
    public static IEnumerable<(DateTimeOffset Slot, double Seconds)> Split(long startMs, long endMs)
    {
        var at = startMs;
        while (at < endMs)
        {
            var slot = at - Mod(at, SlotMilliseconds);
            var end = Math.Min(endMs, slot + SlotMilliseconds);
            yield return (DateTimeOffset.FromUnixTimeMilliseconds(slot), (end - at) / 1000.0);
            at = end;
        }
    }

    /// <summary>The dimension of a call's cell.</summary>
    public static string Dimension(long agentId, CallDimensions d) => string.Join('|',
        Id(agentId), Id(d.ChannelId), Id(d.AssociationId), d.Proactive ? "p" : "i", Id(d.GroupId));

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a call cell's dimension; false when it is not one.</summary>
    public static bool TryParse(string dimension, out long agentId, out CallDimensions d)
    {
        var parts = dimension.Split('|');
        agentId = 0;
        d = default;
        if (parts.Length != 5
            || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out agentId)
            || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var channel)
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var association)
            || !long.TryParse(parts[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group))
        {
            return false;
        }

        d = new CallDimensions(channel, association, parts[3] == "p", group);
        return true;
    }
}

/// <summary>The filterable dimensions of a call (0 for none).</summary>
internal readonly record struct CallDimensions(long ChannelId, long AssociationId, bool Proactive, long GroupId)
{
    public bool Matches(long? channelId, long? associationId, CallConversationType? type, long? groupId) =>
        (channelId is null || channelId == ChannelId)
        && (associationId is null || associationId == AssociationId)
        && (type is null || (type == CallConversationType.Proactive) == Proactive)
        && (groupId is null || groupId == GroupId);
}
