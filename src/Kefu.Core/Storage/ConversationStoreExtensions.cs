using Kefu.Model;

namespace Kefu.Storage;

/// <summary>Reads built on <see cref="IConversationStore"/> that several engines need.</summary>
public static class ConversationStoreExtensions
{
    private const int Page = 200;

    /// <summary>
    /// The latest <paramref name="max"/> messages of a conversation (all of them when it has fewer), oldest first,
    /// read page by page.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is below 1.</exception>
    public static async ValueTask<IReadOnlyList<Message>> GetLatestMessagesAsync(this IConversationStore store, long tenantId, long conversationId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var pages = new List<IReadOnlyList<Message>>();
        long? before = null;
        var count = 0;
        while (count < max)
        {
            var size = Math.Min(Page, max - count);
            var page = await store.GetMessagesAsync(tenantId, conversationId, before, size, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            pages.Add(page);
            count += page.Count;
            if (page.Count < size)
            {
                break;
            }

            before = page[0].Id;
        }

        if (pages.Count == 1)
        {
            return pages[0];
        }

        var messages = new List<Message>(count);
        for (var i = pages.Count - 1; i >= 0; i--)
        {
            messages.AddRange(pages[i]);
        }

        return messages;
    }
}
