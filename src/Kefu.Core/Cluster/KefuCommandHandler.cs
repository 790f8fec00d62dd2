using System.Text.Json;
using Google.Protobuf;
using Kefu.Engine;
using Microsoft.Extensions.Logging;

namespace Kefu.Cluster;

/// <summary>
/// Runs commands forwarded by other nodes on this node's engine, for a cluster transport: the transport receives an
/// encoded <see cref="KefuCommand"/> and sends back what <see cref="HandleAsync"/> returns, an encoded
/// <see cref="KefuCommandReply"/>. A command for a shard this node does not (or no longer) own is answered with an
/// error of kind <see cref="KefuErrorKind.Unavailable"/> without being applied, and the sender retries.
/// </summary>
public sealed class KefuCommandHandler
{
    private readonly KefuEngine _engine;
    private readonly CommandCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal KefuCommandHandler(KefuEngine engine, CommandCatalog catalog, TimeProvider time, ILogger logger)
    {
        _engine = engine;
        _catalog = catalog;
        _time = time;
        _logger = logger;
    }

    /// <summary>Applies an encoded <see cref="KefuCommand"/> and returns the encoded <see cref="KefuCommandReply"/>.</summary>
    /// <param name="command">The command's bytes.</param>
    /// <param name="cancellationToken">Cancels the command (when the node stops).</param>
    public async ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> command, CancellationToken cancellationToken = default)
    {
        KefuCommand parsed;
        try
        {
            parsed = KefuCommand.Parser.ParseFrom(command.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Error("", new KefuException(KefuErrorKind.Validation, $"The forwarded command is not a KefuCommand: {e.Message}"));
        }

        var reply = await RunAsync(parsed, cancellationToken).ConfigureAwait(false);
        return reply.ToByteArray();
    }

    private async Task<KefuCommandReply> RunAsync(KefuCommand command, CancellationToken cancellationToken)
    {
        var method = _catalog.Find(command.Facet, command.Method, command.Arguments.Count);
        if (method is null)
        {
            return ErrorReply(command.CommandId, new KefuException(KefuErrorKind.Validation, $"{command.Facet}.{command.Method} with {command.Arguments.Count} arguments is not a Kefu API method."));
        }

        if (command.DeadlineUnixMs > 0 && _time.GetUtcNow().ToUnixTimeMilliseconds() > command.DeadlineUnixMs)
        {
            return ErrorReply(command.CommandId, new KefuException(KefuErrorKind.Unavailable, "The command arrived after its sender gave up; it was not applied."));
        }

        try
        {
            var arguments = method.ReadArguments(command.Arguments, _catalog.Json, cancellationToken);
            var result = await method.InvokeAsync(_engine, arguments).ConfigureAwait(false);
            return new KefuCommandReply
            {
                CommandId = command.CommandId,
                Result = method.ResultType is null ? "null" : JsonSerializer.Serialize(result, method.ResultType, _catalog.Json),
            };
        }
        catch (KefuException e)
        {
            return ErrorReply(command.CommandId, e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ErrorReply(command.CommandId, new KefuException(KefuErrorKind.Unavailable, "The node is stopping; the command was not applied."));
        }
        catch (ObjectDisposedException)
        {
            return ErrorReply(command.CommandId, new KefuException(KefuErrorKind.Unavailable, "The node is stopping; the command was not applied."));
        }
        catch (JsonException e)
        {
            return ErrorReply(command.CommandId, new KefuException(KefuErrorKind.Validation, $"The arguments of {command.Facet}.{command.Method} cannot be read: {e.Message}"));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A forwarded {Facet}.{Method} for tenant {TenantId} failed unexpectedly.", command.Facet, command.Method, command.TenantId);
            return ErrorReply(command.CommandId, new KefuException(KefuErrorKind.InvalidState, $"The command failed on the shard's owner: {e.GetType().Name}."));
        }
    }

    private static byte[] Error(string commandId, KefuException e) => ErrorReply(commandId, e).ToByteArray();

    internal static KefuCommandReply ErrorReply(string commandId, KefuException e)
    {
        var error = new KefuCommandError { Kind = (int)e.Kind, Message = e.Message };
        switch (e)
        {
            case KefuValidationException v:
                error.Field = v.Field;
                error.Allowed = v.Allowed;
                break;
            case KefuNotFoundException n:
                error.Entity = n.Entity;
                error.EntityId = n.Id;
                break;
        }

        return new KefuCommandReply { CommandId = commandId, Error = error };
    }

    /// <summary>The exception a reply's error stands for, as the owner threw it.</summary>
    internal static KefuException ToException(KefuCommandError error)
    {
        var kind = (KefuErrorKind)error.Kind;
        if (kind == KefuErrorKind.Validation && error.Field.Length > 0)
        {
            var prefix = $"{error.Field} must be {error.Allowed}: ";
            var detail = error.Message.StartsWith(prefix, StringComparison.Ordinal) ? error.Message[prefix.Length..] : null;
            return new KefuValidationException(error.Field, error.Allowed, detail);
        }

        if (kind == KefuErrorKind.NotFound && error.Entity.Length > 0)
        {
            return new KefuNotFoundException(error.Entity, error.EntityId);
        }

        return new KefuException(kind, error.Message);
    }
}
