using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation;

namespace IronWasm.Hardware.Tests.Simulation;

/// <summary>A clock the test moves by hand; timers fire as it passes their due time.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() { lock (_lock) return _ticks; }

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public TimeSpan Now => TimeSpan.FromTicks(GetTimestamp());

    public void Advance(TimeSpan by)
    {
        long target;
        lock (_lock) target = _ticks + by.Ticks;
        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.Due is { } d && d <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    _ticks = target;
                    return;
                }
                _ticks = Math.Max(_ticks, next.Due!.Value);
                next.Due = next.Period is { } p ? next.Due + p : null;
            }
            next.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_lock) _timers.Add(timer);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? Due;
        public long? Period;

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._ticks + dueTime.Ticks;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
            }
            return true;
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                Due = null;
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

/// <summary>A simulation clock on manual time whose "real" waits are recorded and then pass instantly.</summary>
internal sealed class TestClock
{
    public TestClock()
    {
        Time = new ManualTimeProvider();
        Clock = new SimulationClock(Time, d => { Sleeps.Add(d); Time.Advance(d); });
    }

    public ManualTimeProvider Time { get; }

    public SimulationClock Clock { get; }

    public List<TimeSpan> Sleeps { get; } = [];

    public void Advance(TimeSpan by) => Time.Advance(by);

    public void AdvanceMs(double ms) => Time.Advance(TimeSpan.FromMilliseconds(ms));
}

internal static class I2c
{
    public static I2cStatus Write(II2cBus bus, ushort address, params byte[] data) =>
        bus.Transfer(address, [I2cMessage.Write(data)]);

    public static byte[] WriteRead(II2cBus bus, ushort address, byte[] write, int count)
    {
        var buffer = new byte[count];
        Assert.Equal(I2cStatus.Ok, bus.Transfer(address, [I2cMessage.Write(write), I2cMessage.Read(buffer)]));
        return buffer;
    }

    public static byte ReadRegister(II2cBus bus, ushort address, byte register) => WriteRead(bus, address, [register], 1)[0];

    public static byte[] Read(II2cBus bus, ushort address, int count)
    {
        var buffer = new byte[count];
        Assert.Equal(I2cStatus.Ok, bus.Transfer(address, [I2cMessage.Read(buffer)]));
        return buffer;
    }

    public static SimulatedI2cBus BusWith(TestClock clock, SimulatedI2cDevice device)
    {
        var bus = new SimulatedI2cBus("test-bus", clock.Clock);
        bus.Attach(device);
        return bus;
    }
}
