using Kefu.Testing;

namespace Kefu.Core.Tests.Testing;

public class FakeTimeProviderTests
{
    [Fact]
    public void Advance_FiresTimersInDueOrder_AtTheirDueTimes()
    {
        var clock = new FakeTimeProvider();
        var start = clock.GetUtcNow();
        var fired = new List<(string Name, DateTimeOffset At)>();
        using var late = clock.CreateTimer(_ => fired.Add(("late", clock.GetUtcNow())), null, TimeSpan.FromMinutes(5), Timeout.InfiniteTimeSpan);
        using var early = clock.CreateTimer(_ => fired.Add(("early", clock.GetUtcNow())), null, TimeSpan.FromMinutes(2), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(fired);
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal([("early", start.AddMinutes(2)), ("late", start.AddMinutes(5))], fired);
        Assert.Equal(start.AddMinutes(11), clock.GetUtcNow());
    }

    [Fact]
    public void PeriodicTimer_FiresEveryPeriod_UntilDisposed()
    {
        var clock = new FakeTimeProvider();
        var count = 0;
        var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(35));
        Assert.Equal(3, count);
        timer.Dispose();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, count);
        Assert.Null(clock.NextTimerDue);
    }

    [Fact]
    public void Change_ToZero_FiresAtOnce_AndToInfinite_Disarms()
    {
        var clock = new FakeTimeProvider();
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.Null(clock.NextTimerDue);
        timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(1, count);
        timer.Change(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Delay_OnTheFakeClock_CompletesWhenAdvanced()
    {
        var clock = new FakeTimeProvider();
        var delay = Task.Delay(TimeSpan.FromHours(1), clock);
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromHours(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void SetUtcNow_Backwards_IsRefused()
    {
        var clock = new FakeTimeProvider();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(clock.GetUtcNow().AddSeconds(-1)));
    }
}
