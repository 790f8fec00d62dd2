using System.Data.Common;
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
    /// Runs the adapter's scan query page by page and returns the ids of up to <paramref name="max"/> conversations
    /// that closed before the cut-off, oldest first. The query selects <c>position, conversation</c> of a tenant's
    /// closed conversations with a position above <paramref name="after"/>, in position order, at most
    /// <see cref="Page"/> rows.
    /// </summary>
    public static async ValueTask<List<long>> CollectAsync(DbCommand query, DbParameter after, DateTimeOffset closedBefore, int max, CancellationToken cancellationToken)
    {
        var ids = new List<long>();
        var position = long.MinValue;
        while (ids.Count < max)
        {
            after.Value = position;
            var rows = 0;
            var newer = false;
            var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (ids.Count < max && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows++;
                    position = reader.GetInt64(0);
                    if (!Visit(reader.GetString(1), closedBefore, ids))
                    {
                        newer = true;
                        break;
                    }
                }
            }

            if (newer || rows < Page)
            {
                break;
            }
        }

        return ids;
    }

    /// <summary>
    /// Looks at one closed conversation: adds its id to <paramref name="expired"/> when it closed before the cut-off.
    /// Returns false when the scan should end, because the conversation was created at or after the cut-off and all
    /// that follow are newer still.
    /// </summary>
    private static bool Visit(string conversationJson, DateTimeOffset closedBefore, List<long> expired)
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
