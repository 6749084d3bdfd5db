using System.Diagnostics;

namespace IronWasm.Hardware.Usb.Simulation;

// When events run. On the system clock a thread of the bus waits for the next event precisely
// (the system's timers are far coarser than a 125 µs microframe): it sleeps while the event is
// milliseconds away and spins for the rest. On any other TimeProvider the bus sets one of the
// provider's timers, so a test's manual clock drives the bus deterministically.
internal sealed partial class SimulatedUsbBus : IDisposable
{
    private const long SleepThresholdNs = 2_000_000;
    private const long SleepMarginNs = 1_000_000;

    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly bool _realTime;
    private readonly ManualResetEventSlim _wake = new(false, 0);
    private ITimer? _timer;
    private long _timerDue = long.MaxValue;
    private Thread? _pump;
    private long _pumpTarget = long.MaxValue;
    private volatile bool _stopping;

    /// <summary>Bus time now, in nanoseconds since the backend was made.</summary>
    public long Now => _time.GetElapsedTime(_origin).Ticks * 100;

    private long NextEventTime => _events.TryPeek(out _, out var key) ? key.Time : long.MaxValue;

    /// <summary>Under the lock: makes sure something wakes up for the earliest event.</summary>
    private void Rearm()
    {
        if (_stopping) return;
        long next = NextEventTime;
        if (_realTime)
        {
            if (next >= Volatile.Read(ref _pumpTarget)) return;
            if (_pump is null)
            {
                _pump = new Thread(Pump) { IsBackground = true, Name = $"{_backend.Name} bus" };
                _pump.Start();
            }
            _wake.Set();
            return;
        }
        if (next == _timerDue) return;
        _timerDue = next;
        _timer ??= _time.CreateTimer(static s => ((SimulatedUsbBus)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(next == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(Math.Max(0, (next - Now + 99) / 100)), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        Gate.Enter();
        try
        {
            _timerDue = long.MaxValue;
            ProcessDue(Now);
            Rearm();
        }
        finally { Gate.Exit(); }
        AfterUnlock();
    }

    private void Pump()
    {
        var spinner = new SpinWait();
        while (!_stopping)
        {
            _wake.Reset();
            long next;
            Gate.Enter();
            try
            {
                ProcessDue(Now);
                next = NextEventTime;
                Volatile.Write(ref _pumpTarget, next);
            }
            finally { Gate.Exit(); }
            AfterUnlock();
            if (next == long.MaxValue)
            {
                _wake.Wait();
                continue;
            }
            long remaining = next - Now;
            if (remaining <= 0) continue;
            if (remaining > SleepThresholdNs)
            {
                _wake.Wait(TimeSpan.FromTicks((remaining - SleepMarginNs) / 100));
                continue;
            }
            spinner.Reset();
            while (!_wake.IsSet && !_stopping && Now < next) spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _timer?.Dispose();
        if (_pump is { } pump && pump != Thread.CurrentThread) pump.Join();
        Debug.Assert(_pump is null || !_pump.IsAlive || _pump == Thread.CurrentThread);
    }
}
