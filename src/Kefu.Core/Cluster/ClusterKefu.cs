using System.Reflection;
using System.Text.Json;
using Google.Protobuf;
using Kefu.Engine;
using Microsoft.Extensions.Logging;

namespace Kefu.Cluster;

/// <summary>
/// <see cref="IKefu"/> on a cluster node: a tenant command runs on this node's engine when the node owns the tenant's
/// shard, and is forwarded to the owner through the <see cref="IKefuCommandForwarder"/> otherwise. A command that
/// finds no owner (the shard is moving, its owner died, the transport is reconnecting) is retried with back-off until
/// <see cref="KefuClusterOptions.ForwardTimeout"/>; commands are forwarded only when they were not applied
/// (Unavailable) or may not have been (no reply), and message sends carry client message ids, so a retry never stores
/// a message twice. Organisation-wide reads and history reads run on this node against the shared store.
/// </summary>
internal sealed class ClusterKefu : IKefu
{
    private static readonly MethodInfo InvokeTyped = typeof(ClusterKefu).GetMethod(nameof(InvokeTypedAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    private readonly KefuEngine _engine;
    private readonly ShardOwnership _ownership;
    private readonly IKefuCommandForwarder? _forwarder;
    private readonly CommandCatalog _catalog;
    private readonly KefuClusterOptions _options;
    private readonly IKefuIdGenerator _ids;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<MethodInfo, Func<object?[], object>> _calls = [];

    public ClusterKefu(KefuEngine engine, ShardOwnership ownership, IKefuCommandForwarder? forwarder, CommandCatalog catalog, KefuClusterOptions options, IKefuIdGenerator ids, TimeProvider time, ILogger logger)
    {
        _engine = engine;
        _ownership = ownership;
        _forwarder = forwarder;
        _catalog = catalog;
        _options = options;
        _ids = ids;
        _time = time;
        _logger = logger;
        foreach (var type in new[] { typeof(IKefu), typeof(IKefuOrganisation), typeof(IKefuDirectory), typeof(IKefuConversations), typeof(IKefuHistory) })
        {
            foreach (var method in type.GetMethods().Where(m => !m.IsSpecialName))
            {
                _calls[method] = CallOf(catalog.Of(method));
            }
        }

        Organisation = Facet<IKefuOrganisation>();
        Directory = Facet<IKefuDirectory>();
        Conversations = Facet<IKefuConversations>();
        History = Facet<IKefuHistory>();
    }

    public IKefuOrganisation Organisation { get; }
    public IKefuDirectory Directory { get; }
    public IKefuConversations Conversations { get; }
    public IKefuHistory History { get; }

    public ValueTask FlushAsync(long tenantId, CancellationToken cancellationToken = default)
        => (ValueTask)Call(typeof(IKefu).GetMethod(nameof(IKefu.FlushAsync))!, [tenantId, cancellationToken]);

    /// <summary>Runs an API call: on this node or on the shard's owner.</summary>
    internal object Call(MethodInfo method, object?[] arguments) => _calls[method](arguments);

    /// <summary>The call of one method, returning its <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/> boxed.</summary>
    private Func<object?[], object> CallOf(CommandMethod command)
    {
        if (command.ResultType is null)
        {
            return arguments => InvokeVoidAsync(command, arguments);
        }

        var typed = InvokeTyped.MakeGenericMethod(command.ResultType).CreateDelegate<Func<CommandMethod, object?[], object>>(this);
        return arguments => typed(command, arguments);
    }

    private T Facet<T>() where T : class
    {
        var proxy = System.Reflection.DispatchProxy.Create<T, FacetProxy>();
        ((FacetProxy)(object)proxy).Owner = this;
        return proxy;
    }

    private async ValueTask InvokeVoidAsync(CommandMethod command, object?[] arguments) => await RouteAsync(command, arguments).ConfigureAwait(false);

    private object InvokeTypedAsync<T>(CommandMethod command, object?[] arguments) => TypedAsync<T>(command, arguments);

    private async ValueTask<T> TypedAsync<T>(CommandMethod command, object?[] arguments) => (T)(await RouteAsync(command, arguments).ConfigureAwait(false))!;

    private bool RunsLocally(CommandMethod command)
        => (command.TenantIndex < 0 && !command.CreatesTenant)
           || (command.Facet == "History" && command.Method.Name != nameof(IKefuHistory.GetCrmParametersAsync));

    private async Task<object?> RouteAsync(CommandMethod command, object?[] arguments)
    {
        if (RunsLocally(command))
        {
            return await command.InvokeAsync(_engine, arguments).ConfigureAwait(false);
        }

        var cancellationToken = command.CancellationIndex >= 0 && arguments[command.CancellationIndex] is CancellationToken token ? token : default;
        var tenantId = command.TenantIndex >= 0 ? (long)arguments[command.TenantIndex]! : 0;
        var started = _time.GetUtcNow();
        var deadline = started + _options.ForwardTimeout;
        var delay = TimeSpan.FromMilliseconds(20);
        KefuException? last = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int shard;
            if (command.CreatesTenant)
            {
                if (_ownership.HeldShards.Count > 0)
                {
                    try
                    {
                        return await command.InvokeAsync(_engine, arguments).ConfigureAwait(false);
                    }
                    catch (KefuException e) when (e.Kind == KefuErrorKind.Unavailable)
                    {
                        last = e;
                    }
                }

                // A node that owns no shard has the tenant made on the owner of a shard picked at random.
                shard = _ownership.ShardOf(_ids.NextId(_time.GetUtcNow()));
            }
            else
            {
                shard = _ownership.ShardOf(tenantId);
                if (_ownership.TryGetLease(shard, out _))
                {
                    try
                    {
                        return await command.InvokeAsync(_engine, arguments).ConfigureAwait(false);
                    }
                    catch (KefuException e) when (e.Kind == KefuErrorKind.Unavailable)
                    {
                        last = e;
                    }
                }
            }

            if (!_ownership.TryGetLease(shard, out _))
            {
                if (_forwarder is null)
                {
                    throw new KefuException(KefuErrorKind.Unavailable, $"Tenant {tenantId}'s shard {shard} is not owned by node '{_ownership.NodeName}', and no cluster transport is registered to forward the command to its owner.");
                }
                else
                {
                    var (done, result, error) = await ForwardAsync(command, arguments, tenantId, shard, deadline, cancellationToken).ConfigureAwait(false);
                    if (done)
                    {
                        return result;
                    }

                    last = error;
                }
            }

            if (_time.GetUtcNow() + delay >= deadline)
            {
                throw new KefuException(
                    KefuErrorKind.Unavailable,
                    $"No owner of shard {shard} answered within {_options.ForwardTimeout}: {last?.Message}",
                    last ?? new KefuException(KefuErrorKind.Unavailable, "no answer"));
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    private async Task<(bool Done, object? Result, KefuException? Error)> ForwardAsync(
        CommandMethod command, object?[] arguments, long tenantId, int shard, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var message = new KefuCommand
        {
            CommandId = Guid.NewGuid().ToString("N"),
            Facet = command.Facet,
            Method = command.Method.Name,
            TenantId = tenantId,
            Shard = shard,
            DeadlineUnixMs = deadline.ToUnixTimeMilliseconds(),
        };
        message.Arguments.AddRange(command.WriteArguments(arguments, _catalog.Json));
        byte[] replyBytes;
        try
        {
            replyBytes = await _forwarder!.ForwardAsync(shard, message.ToByteArray(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _logger.LogDebug(e, "Forwarding {Facet}.{Method} to shard {Shard} failed; retrying.", command.Facet, command.Method.Name, shard);
            return (false, null, e as KefuException ?? new KefuException(KefuErrorKind.Unavailable, $"Forwarding to shard {shard} failed: {e.Message}", e));
        }

        var reply = KefuCommandReply.Parser.ParseFrom(replyBytes);
        if (reply.OutcomeCase == KefuCommandReply.OutcomeOneofCase.Error)
        {
            var error = KefuCommandHandler.ToException(reply.Error);
            return error.Kind == KefuErrorKind.Unavailable ? (false, null, error) : throw error;
        }

        return (true, command.ResultType is null ? null : JsonSerializer.Deserialize(reply.Result, command.ResultType, _catalog.Json), null);
    }
}

/// <summary>A facet of <see cref="ClusterKefu"/>: every call goes to <see cref="ClusterKefu.Call"/>.</summary>
#pragma warning disable CA1852 // DispatchProxy derives from it at run time.
internal class FacetProxy : System.Reflection.DispatchProxy
#pragma warning restore CA1852
{
    public ClusterKefu? Owner { get; set; }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return Owner!.Call(targetMethod, args ?? []);
    }
}
