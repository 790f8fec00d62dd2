using System.ComponentModel.DataAnnotations;

namespace Kefu.Host.Infrastructure;

/// <summary>Where the host keeps its data: <c>Kefu:Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Kefu:Storage";

    /// <summary><c>Sqlite</c> (the default), <c>PostgreSql</c> or <c>InMemory</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The ADO.NET connection string; for SQLite <c>Data Source=kefu.db</c> in the working directory by default.</summary>
    public string ConnectionString { get; set; } = "Data Source=kefu.db";
}

/// <summary>The storage adapters the host can use.</summary>
public enum StorageProvider
{
    /// <summary>Kefu.Adapters.Sqlite.</summary>
    Sqlite,
    /// <summary>Kefu.Adapters.PostgreSql.</summary>
    PostgreSql,
    /// <summary>Core's in-memory store (nothing survives the process).</summary>
    InMemory,
}

/// <summary>
/// RabbitMQ settings, <c>Kefu:RabbitMq</c>. Enabled, the host is one node of a cluster: the store must be PostgreSQL
/// (shared by the nodes, with the shard leases), commands for shards other nodes own and committed events travel over
/// the broker (Kefu.Adapters.RabbitMq, <c>UseCluster</c> and <c>UseRabbitMq</c>).
/// </summary>
public sealed class RabbitMqOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Kefu:RabbitMq";

    /// <summary>Whether this host is a node of a cluster on RabbitMQ (default false: one node, in-process transport).</summary>
    public bool Enabled { get; set; }

    /// <summary>The AMQP URI, for example <c>amqp://kefu:secret@mq:5672/</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The prefix of the exchange and queue names, the same on every node of one cluster (default <c>kefu</c>).</summary>
    public string Prefix { get; set; } = "kefu";

    /// <summary>This node's name, unique among the nodes; a name made of the machine, the process and a random part when empty.</summary>
    public string? NodeName { get; set; }
}

/// <summary>The host's own settings, <c>Kefu:Host</c>.</summary>
public sealed class KefuHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Kefu:Host";

    /// <summary>Seed the demo tenant when the store has no tenant (default true).</summary>
    public bool SeedDemo { get; set; } = true;

    /// <summary>Days of conversation history the demo seed creates (0–30, default 14).</summary>
    [Range(0, 30)]
    public int SeedDays { get; set; } = 14;

    /// <summary>Conversations per seeded day (1–200, default 12).</summary>
    [Range(1, 200)]
    public int SeedConversationsPerDay { get; set; } = 12;

    /// <summary>Login attempts allowed per client address per minute (1–1000, default 10).</summary>
    [Range(1, 1000)]
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>Largest upload in bytes (1 KiB–100 MiB, default 10 MiB).</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>File extensions an upload may have.</summary>
    public string[] AllowedUploadExtensions { get; set; } = [".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".txt", ".csv", ".xlsx", ".docx", ".zip"];

    /// <summary>Where uploads are kept (default <c>kefu-uploads</c> in the working directory).</summary>
    public string UploadDirectory { get; set; } = "kefu-uploads";

    /// <summary>Where the Data Protection keys of cookies and visitor tokens are kept (default <c>kefu-keys</c> in the working directory).</summary>
    public string KeysDirectory { get; set; } = "kefu-keys";

    /// <summary>How long a visitor token stays valid (1 hour–30 days, default 1 day).</summary>
    public TimeSpan VisitorTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long an idle agent session lasts (default 8 hours, sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
