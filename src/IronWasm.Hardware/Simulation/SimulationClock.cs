using System.Diagnostics;

namespace IronWasm.Hardware.Simulation;

/// <summary>The time every simulated part reads: device timing (conversion times, write cycles,
/// busy flags) follows <see cref="TimeProvider"/>, so tests can step it by hand, while the
/// latencies that stand for a slow wire (fault latency, SPI delays) really wait.</summary>
internal sealed class SimulationClock
{
    private readonly long _start;
    private readonly Action<TimeSpan> _sleep;

    public SimulationClock(TimeProvider? provider = null, Action<TimeSpan>? sleep = null)
    {
        Provider = provider ?? TimeProvider.System;
        _start = Provider.GetTimestamp();
        _sleep = sleep ?? SleepPrecisely;
    }

    public TimeProvider Provider { get; }

    /// <summary>Time since the simulation was made; every device timestamp is on this scale.</summary>
    public TimeSpan Elapsed => Provider.GetElapsedTime(_start);

    public void Sleep(TimeSpan duration)
    {
        if (duration > TimeSpan.Zero) _sleep(duration);
    }

    // Thread.Sleep alone rounds up to the scheduler tick; short waits spin the rest.
    private static void SleepPrecisely(TimeSpan duration)
    {
        long end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        if (duration >= TimeSpan.FromMilliseconds(2)) Thread.Sleep(duration - TimeSpan.FromMilliseconds(1));
        var spinner = new SpinWait();
        while (Stopwatch.GetTimestamp() < end) spinner.SpinOnce(-1);
    }
}
