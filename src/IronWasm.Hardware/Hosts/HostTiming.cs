using System.Diagnostics;

namespace IronWasm.Hardware.Hosts;

/// <summary>
/// How the hosts wait for a guest: the <c>delay</c> resources, blocking pollables and
/// <c>poll</c>. Every wait ends early, with a <see cref="TrapCode.Interrupt"/> trap in the guest,
/// once <see cref="Stopping"/> is cancelled (the <see cref="HardwareHost"/>'s token or its disposal).
/// </summary>
internal sealed class HostTiming(TimeProvider time, CancellationToken stopping)
{
    /// <summary>Below this much left, a delay spins: sleeping rounds up to the scheduler's tick.</summary>
    private static readonly long SpinBelow = Stopwatch.Frequency / 500; // 2 ms
    private static readonly long SleepMargin = Stopwatch.Frequency / 1000; // 1 ms

    // Task.Delay takes at most uint.MaxValue - 1 milliseconds at once.
    private static readonly ulong LongestProviderWait = (ulong)TimeSpan.FromDays(40).Ticks;

    private readonly bool _real = ReferenceEquals(time, TimeProvider.System);

    public TimeProvider Time { get; } = time;

    public CancellationToken Stopping { get; } = stopping;

    /// <summary>How long a blocked wait sleeps before it looks again at what the backend cannot
    /// signal: a revoked lease, an analog level, several pollables at once.</summary>
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits at least <paramref name="nanoseconds"/>: on the system clock by sleeping to about
    /// a millisecond before the end and spinning the rest; on any other <see cref="TimeProvider"/>
    /// (a simulation's virtual clock) on that provider's timers.</summary>
    public void Delay(ulong nanoseconds)
    {
        ThrowIfStopping();
        if (nanoseconds == 0) return;
        if (_real) DelayReal(nanoseconds);
        else DelayOnProvider(nanoseconds);
    }

    private void DelayReal(ulong nanoseconds)
    {
        long start = Stopwatch.GetTimestamp();
        UInt128 ticks = (UInt128)nanoseconds * (ulong)Stopwatch.Frequency / 1_000_000_000u;
        if (ticks == 0) ticks = 1;
        long end = ticks >= (UInt128)(long.MaxValue - start) ? long.MaxValue : start + (long)ticks;
        while (true)
        {
            long remaining = end - Stopwatch.GetTimestamp();
            if (remaining <= 0) return;
            if (remaining < SpinBelow) break;
            // Divided before multiplied: a wait of centuries (a saturated u64 of nanoseconds) would
            // overflow `ticks * 1000` and ask WaitOne for a negative timeout.
            long sleepTicks = remaining - SleepMargin;
            long milliseconds = sleepTicks / Stopwatch.Frequency * 1000 + sleepTicks % Stopwatch.Frequency * 1000 / Stopwatch.Frequency;
            if (Stopping.WaitHandle.WaitOne((int)Math.Min(milliseconds, int.MaxValue))) throw Interrupted();
        }
        var spinner = new SpinWait();
        while (Stopwatch.GetTimestamp() < end)
        {
            // -1: never Thread.Sleep(1), which would overshoot a sub-millisecond wait.
            spinner.SpinOnce(-1);
            if (Stopping.IsCancellationRequested) throw Interrupted();
        }
    }

    private void DelayOnProvider(ulong nanoseconds)
    {
        ulong ticks = nanoseconds / 100 + (nanoseconds % 100 == 0 ? 0u : 1u);
        while (ticks > 0)
        {
            ulong chunk = Math.Min(ticks, LongestProviderWait);
            try
            {
                Task.Delay(TimeSpan.FromTicks((long)chunk), Time, Stopping).Wait();
            }
            catch (AggregateException e) when (e.InnerException is OperationCanceledException)
            {
                throw Interrupted();
            }
            ticks -= chunk;
        }
    }

    /// <summary>Sleeps <paramref name="duration"/> of real time (for polling what gives no signal).</summary>
    public void Pause(TimeSpan duration)
    {
        if (Stopping.WaitHandle.WaitOne(duration)) throw Interrupted();
    }

    public void ThrowIfStopping()
    {
        if (Stopping.IsCancellationRequested) throw Interrupted();
    }

    /// <summary>What a guest sees when the host stops it while it waits: the trap a deadline gives.</summary>
    public static TrapException Interrupted() =>
        new(TrapCode.Interrupt, "the host interrupted the guest's wait (the hardware host was stopped)");
}
