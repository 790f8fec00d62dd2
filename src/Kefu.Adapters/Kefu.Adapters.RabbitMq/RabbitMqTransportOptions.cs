namespace Kefu.Adapters.RabbitMq;

/// <summary>Options of the RabbitMQ transport, validated when the host starts.</summary>
public sealed class RabbitMqTransportOptions
{
    /// <summary>The broker, as an AMQP URI: <c>amqp://user:password@host:5672/vhost</c> (or <c>amqps://</c>). <value>Default <c>amqp://guest:guest@localhost:5672/</c>.</value></summary>
    public string Uri { get; set; } = "amqp://guest:guest@localhost:5672/";

    /// <summary>
    /// The prefix of every exchange and queue name, so several Kefu deployments can share a virtual host:
    /// <c>{prefix}.events</c>, <c>{prefix}.shard.{n}</c>, <c>{prefix}.node.{name}.events</c> and <c>.replies</c>.
    /// <value>Default <c>kefu</c>; 1–50 characters of letters, digits, '.', '_' and '-'.</value>
    /// </summary>
    public string Prefix { get; set; } = "kefu";

    /// <summary>
    /// How long a forwarded command waits for the shard owner's reply before the attempt counts as failed (the
    /// command is then retried, through <see cref="Cluster.KefuClusterOptions.ForwardTimeout"/>). <value>Default 5 s; 100 ms – 5 min.</value>
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Unacknowledged deliveries a consumer holds at once. <value>Default 256; 1–65,535.</value></summary>
    public int PrefetchCount { get; set; } = 256;

    /// <summary>Commands a node applies at once (so its tenant workers can batch them). <value>Default 64; 1–1,024.</value></summary>
    public int CommandConcurrency { get; set; } = 64;

    /// <summary>The first wait before connecting or publishing again after a failure; it doubles up to <see cref="MaxReconnectDelay"/>. <value>Default 200 ms; 10 ms – 1 min.</value></summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between reconnection attempts. <value>Default 10 s; at least <see cref="ReconnectDelay"/>, at most 5 min.</value></summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a node's event queue outlives the node's connection (RabbitMQ's <c>x-expires</c>): events published
    /// while a node reconnects wait in it. <value>Default 5 min; 10 s – 1 day.</value>
    /// </summary>
    public TimeSpan EventQueueExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Validates every option; throws <see cref="KefuValidationException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (!System.Uri.TryCreate(Uri, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            throw new KefuValidationException(nameof(Uri), "an absolute amqp:// or amqps:// URI, for example amqp://guest:guest@localhost:5672/", $"was '{Uri}'");
        }

        if (string.IsNullOrEmpty(Prefix) || Prefix.Length > 50 || !Prefix.All(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new KefuValidationException(nameof(Prefix), "1–50 characters of letters, digits, '.', '_' and '-'", $"was '{Prefix}'");
        }

        Range(RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), nameof(RequestTimeout), "between 100 ms and 5 minutes");
        Range(PrefetchCount, 1, ushort.MaxValue, nameof(PrefetchCount));
        Range(CommandConcurrency, 1, 1024, nameof(CommandConcurrency));
        Range(ReconnectDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1), nameof(ReconnectDelay), "between 10 ms and 1 minute");
        Range(MaxReconnectDelay, ReconnectDelay, TimeSpan.FromMinutes(5), nameof(MaxReconnectDelay), $"between ReconnectDelay ({ReconnectDelay}) and 5 minutes");
        Range(EventQueueExpiry, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1), nameof(EventQueueExpiry), "between 10 seconds and 1 day");
    }

    private static void Range(int value, int min, int max, string field)
    {
        if (value < min || value > max)
        {
            throw new KefuValidationException(field, $"between {min} and {max}", $"was {value}");
        }
    }

    private static void Range(TimeSpan value, TimeSpan min, TimeSpan max, string field, string allowed)
    {
        if (value < min || value > max)
        {
            throw new KefuValidationException(field, allowed, $"was {value}");
        }
    }
}
