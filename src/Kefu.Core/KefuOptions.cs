using Kefu.Model;

namespace Kefu;

/// <summary>Options of the Kefu engine, validated when the engine starts.</summary>
public sealed class KefuOptions
{
    /// <summary>This node's id for id generation, unique among nodes sharing a store. <value>Default 0; 0–1023.</value></summary>
    public int NodeId { get; set; }

    /// <summary>The most commands a tenant's worker applies in one batch (one commit). <value>Default 256; 1–65,536.</value></summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>PBKDF2 iterations for agent passwords. <value>Default 100,000; 1,000–10,000,000.</value></summary>
    public int PasswordHashIterations { get; set; } = 100_000;

    /// <summary>The settings a new tenant starts with; the organisation's template then sets its limits and switches.</summary>
    public TenantSettings DefaultTenantSettings { get; set; } = new();

    /// <summary>The organisation's template until one is saved (E17 3.4).</summary>
    public TenantTemplate DefaultTenantTemplate { get; set; } = new();

    /// <summary>The first wait before an event sink that failed is tried again; it doubles up to 30 s. <value>Default 1 s; 1 ms – 1 min.</value></summary>
    public TimeSpan EventSinkRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Closed conversations kept in a worker's memory for ratings and wrap-ups, before they are read from the store again. <value>Default 10,000; 0–1,000,000.</value></summary>
    public int ClosedConversationCacheSize { get; set; } = 10_000;

    /// <summary>
    /// How many of a conversation's most recent messages remember their client message id, so a client's retry is
    /// recognised and not stored twice: a retry is answered with the original message as long as fewer messages than
    /// this were sent in the conversation since. Kept per conversation, so a busy tenant never crowds out a quiet
    /// conversation's retries. <value>Default 256; 16–4,096.</value>
    /// </summary>
    public int DeduplicationWindow { get; set; } = 256;

    /// <summary>
    /// How often a host purges history past each tenant's retention period (C18); the first sweep runs one interval
    /// after start. <value>Default 1 hour; 1 minute – 1 day.</value>
    /// </summary>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How many closed conversations one retention batch deletes (one short transaction each), so the engine's commits
    /// interleave with a purge. <value>Default 200; 1–10,000.</value>
    /// </summary>
    public int RetentionBatchSize { get; set; } = 200;

    /// <summary>Validates every option; throws <see cref="KefuValidationException"/> naming the first bad one.</summary>
    public void Validate()
    {
        Guard.Range(NodeId, 0, SnowflakeIdGenerator.MaxNodeId, nameof(NodeId));
        Guard.Range(MaxBatchSize, 1, 65_536, nameof(MaxBatchSize));
        Guard.Range(PasswordHashIterations, 1_000, 10_000_000, nameof(PasswordHashIterations));
        Guard.Range(EventSinkRetryDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), nameof(EventSinkRetryDelay), "between 1 ms and 1 minute");
        Guard.Range(ClosedConversationCacheSize, 0, 1_000_000, nameof(ClosedConversationCacheSize));
        Guard.Range(DeduplicationWindow, 16, 4_096, nameof(DeduplicationWindow));
        Guard.Range(RetentionSweepInterval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), nameof(RetentionSweepInterval), "between 1 minute and 1 day");
        Guard.Range(RetentionBatchSize, 1, 10_000, nameof(RetentionBatchSize));
        if (DefaultTenantSettings is null)
        {
            throw new KefuValidationException(nameof(DefaultTenantSettings), "set");
        }

        if (DefaultTenantTemplate is null)
        {
            throw new KefuValidationException(nameof(DefaultTenantTemplate), "set");
        }

        DefaultTenantSettings.Validate();
        DefaultTenantTemplate.Validate();
    }
}
