namespace Kefu;

/// <summary>The kind of a <see cref="KefuException"/>, stable across versions so callers can map it (to HTTP status codes, for example).</summary>
public enum KefuErrorKind
{
    /// <summary>An argument or option is outside its allowed range or format.</summary>
    Validation,
    /// <summary>The referenced entity does not exist in the tenant (or belongs to another tenant).</summary>
    NotFound,
    /// <summary>A uniqueness rule would be broken (a duplicate name, code, employee number or access code).</summary>
    Conflict,
    /// <summary>The command is not allowed in the entity's current state (a second rating, a message to a closed conversation …).</summary>
    InvalidState,
    /// <summary>A tenant limit (maximum agents, for example) would be exceeded.</summary>
    LimitExceeded,
    /// <summary>The entity is still referenced by another (a skill group used by a routing rule).</summary>
    InUse,
    /// <summary>Account and password do not match, or the account is disabled.</summary>
    Authentication,
    /// <summary>A stored document changed since it was read (optimistic concurrency).</summary>
    Concurrency,
    /// <summary>
    /// In a cluster: the tenant's shard is not owned by a reachable node right now (its owner is moving or died, or
    /// this node just lost it). Nothing was applied; retry the command.
    /// </summary>
    Unavailable,
}

/// <summary>
/// A refused command. Every error Kefu raises for bad input or a command in the wrong state is a
/// <see cref="KefuException"/> with a <see cref="Kind"/>; when a command is refused the tenant's state is unchanged.
/// </summary>
public class KefuException : Exception
{
    /// <summary>Creates an error of the given kind.</summary>
    public KefuException(KefuErrorKind kind, string message) : base(message) => Kind = kind;

    /// <summary>Creates an error of the given kind with an inner exception.</summary>
    public KefuException(KefuErrorKind kind, string message, Exception innerException) : base(message, innerException) => Kind = kind;

    /// <summary>What went wrong.</summary>
    public KefuErrorKind Kind { get; }
}

/// <summary>An argument or option outside its allowed range: names the field and the allowed values.</summary>
public sealed class KefuValidationException : KefuException
{
    /// <summary>Creates a validation error for <paramref name="field"/>.</summary>
    /// <param name="field">The field, as a caller would name it (for example <c>MaxConcurrentChats</c>).</param>
    /// <param name="allowed">The allowed values, for example <c>0–100</c>.</param>
    /// <param name="detail">What was wrong, optional.</param>
    public KefuValidationException(string field, string allowed, string? detail = null)
        : base(KefuErrorKind.Validation, detail is null ? $"{field} must be {allowed}." : $"{field} must be {allowed}: {detail}")
    {
        Field = field;
        Allowed = allowed;
    }

    /// <summary>The field that was refused.</summary>
    public string Field { get; }

    /// <summary>The allowed range or format of the field.</summary>
    public string Allowed { get; }
}

/// <summary>The referenced entity does not exist in this tenant.</summary>
public sealed class KefuNotFoundException : KefuException
{
    /// <summary>Creates a not-found error for an entity kind and id.</summary>
    public KefuNotFoundException(string entity, long id)
        : base(KefuErrorKind.NotFound, $"{entity} {id} was not found in this tenant.")
    {
        Entity = entity;
        Id = id;
    }

    /// <summary>The kind of entity (Agent, Conversation …).</summary>
    public string Entity { get; }

    /// <summary>The id that was not found.</summary>
    public long Id { get; }
}

/// <summary>A command that is not allowed in the current state of an entity.</summary>
public sealed class KefuStateException : KefuException
{
    /// <summary>Creates a state error.</summary>
    public KefuStateException(string entity, long id, string message)
        : base(KefuErrorKind.InvalidState, message)
    {
        Entity = entity;
        Id = id;
    }

    /// <summary>The kind of entity whose state refused the command.</summary>
    public string Entity { get; }

    /// <summary>The entity's id.</summary>
    public long Id { get; }
}
