using System.Threading.Tasks.Sources;

namespace Kefu.Engine;

/// <summary>A command or query for a tenant's worker. Completed only after its batch is committed.</summary>
internal abstract class WorkItem
{
    /// <summary>Applies the item to the tenant's state. Validation happens before any change, so a refused item changes nothing.</summary>
    public abstract ValueTask ExecuteAsync(TenantState state);

    /// <summary>Acknowledges the caller with the result or the refusal recorded by <see cref="ExecuteAsync"/>.</summary>
    public abstract void Complete();

    /// <summary>Fails the caller (the batch could not be committed).</summary>
    public abstract void Fail(Exception exception);

    /// <summary>Records a refusal, reported by <see cref="Complete"/>.</summary>
    public abstract void Refuse(Exception exception);

    /// <summary>When set, the item is applied at this time instead of the clock's (timer ticks use their due time).</summary>
    public virtual DateTimeOffset? FixedTime => null;
}

/// <summary>A work item with a result, awaited through a <see cref="ValueTask{TResult}"/> without a Task allocation.</summary>
internal abstract class WorkItem<T> : WorkItem, IValueTaskSource<T>
{
    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = true };
    private T? _result;
    private Exception? _refusal;

    public ValueTask<T> AsValueTask() => new(this, _core.Version);

    protected void SetResult(T result) => _result = result;

    public override void Refuse(Exception exception) => _refusal = exception;

    public override void Complete()
    {
        if (_refusal is not null)
        {
            _core.SetException(_refusal);
        }
        else
        {
            _core.SetResult(_result!);
        }
    }

    public override void Fail(Exception exception) => _core.SetException(exception);

    public T GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            OnConsumed();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    /// <summary>Called once the caller has read the result; pooled items reset and return to their pool here.</summary>
    protected virtual void OnConsumed()
    {
    }

    protected void ResetCore()
    {
        _core.Reset();
        _result = default;
        _refusal = null;
    }
}

/// <summary>A work item that runs a delegate over the tenant's state: the form of every command off the message path.</summary>
internal sealed class DelegateWorkItem<T>(Func<TenantState, T> apply) : WorkItem<T>
{
    public override ValueTask ExecuteAsync(TenantState state)
    {
        SetResult(apply(state));
        return ValueTask.CompletedTask;
    }
}

/// <summary>Like <see cref="DelegateWorkItem{T}"/>, for commands that may have to read the store first.</summary>
internal sealed class AsyncDelegateWorkItem<T>(Func<TenantState, ValueTask<T>> apply) : WorkItem<T>
{
    public override async ValueTask ExecuteAsync(TenantState state) => SetResult(await apply(state).ConfigureAwait(false));
}

/// <summary>A bounded pool of reusable items, so the message path allocates no command objects.</summary>
internal sealed class ItemPool<T>(int capacity) where T : class
{
    private readonly Stack<T> _items = new(capacity);
    private readonly Lock _gate = new();

    public T? Rent()
    {
        lock (_gate)
        {
            return _items.TryPop(out var item) ? item : null;
        }
    }

    public void Return(T item)
    {
        lock (_gate)
        {
            if (_items.Count < capacity)
            {
                _items.Push(item);
            }
        }
    }
}
