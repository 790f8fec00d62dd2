using Kefu.Model;

namespace Kefu.Adapters;

/// <summary>
/// The retention scan both SQL adapters run over a tenant's closed conversations in creation order (compiled into
/// each adapter, which may reference only Kefu.Core).
/// </summary>
internal static class RetentionScan
{
    /// <summary>Rows read per query while scanning.</summary>
    public const int Page = 256;

    /// <summary>
    /// Looks at one closed conversation: adds its id to <paramref name="expired"/> when it closed before the cut-off.
    /// Returns false when the scan should end, because the conversation was created at or after the cut-off and all
    /// that follow are newer still.
    /// </summary>
    public static bool Visit(string conversationJson, DateTimeOffset closedBefore, List<long> expired)
    {
        var conversation = StoreJson.Read<Conversation>(conversationJson);
        if (conversation.CreatedAt >= closedBefore)
        {
            return false;
        }

        if (conversation.ClosedAt is { } closedAt && closedAt < closedBefore)
        {
            expired.Add(conversation.Id);
        }

        return true;
    }
}
