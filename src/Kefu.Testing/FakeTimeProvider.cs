namespace Kefu.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when told. Timers fire, in due order and at their due time,
/// while <see cref="Advance"/> or <see cref="SetUtcNow"/> moves the clock past them; a timer set to fire now fires at
/// once. Callbacks run on the thread that moves the clock.
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now;
    private long _sequence;

    /// <summary>Creates a clock at <paramref name="start"/>, or at 2026-01-05 09:00 UTC (a Monday morning).</summary>
    public FakeTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>When the earliest armed timer fires, or null when none is armed.</summary>
    public DateTimeOffset? NextTimerDue
    {
        get
        {
            lock (_gate)
            {
                return _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();
            }
        }
    }

    /// <summary>Moves the clock forward, firing the timers that come due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        SetUtcNow(GetUtcNow() + delta);
    }

    /// <summary>Moves the clock to <paramref name="value"/> (never backwards), firing the timers that come due on the way.</summary>
    public void SetUtcNow(DateTimeOffset value) => MoveTo(value);

    /// <summary>Moves the clock to <paramref name="target"/>, or fires what is due now when null (never throws then).</summary>
    private void MoveTo(DateTimeOffset? target)
    {
        while (true)
        {
            FakeTimer? next;
            lock (_gate)
            {
                if (target is { } wanted)
                {
                    ArgumentOutOfRangeException.ThrowIfLessThan(wanted, _now);
                }

                var value = target ?? _now;
                next = _timers.Where(t => t.Due is not null && t.Due <= value).OrderBy(t => t.Due).ThenBy(t => t.Order).FirstOrDefault();
                if (next is null)
                {
                    _now = value;
                    return;
                }

                _now = next.Due!.Value;
                next.Due = next.Period is { } period ? _now + period : null;
            }

            next.Fire();
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new FakeTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Fires the timers due at the current time; another thread may move the clock meanwhile.</summary>
    private void FireDue() => MoveTo(null);

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due;
        public TimeSpan? Period;
        public long Order;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this))
                {
                    return false;
                }

                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
                Order = ++owner._sequence;
            }

            if (dueTime == TimeSpan.Zero)
            {
                owner.FireDue();
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
