using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Simulation.Gpio;

/// <summary>The handle of an opened digital line. Edges are counted per kind from the moment
/// the line is open as an input; each wait or take consumes one.</summary>
internal sealed class OpenDigitalLine : IGpioLine
{
    private readonly SimulatedDigitalLine _line;
    private long _rising, _falling;
    private bool _disposed;

    internal OpenDigitalLine(SimulatedDigitalLine line, GpioLineConfig config)
    {
        _line = line;
        Config = config;
        Driven = config.InitialHigh;
    }

    public string Label => _line.Label;

    public GpioLineConfig Config { get; private set; }

    /// <summary>The level driven while an output.</summary>
    internal bool Driven { get; private set; }

    public bool Read()
    {
        lock (_line.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _line.Level;
        }
    }

    public void Write(bool high)
    {
        lock (_line.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Config.Direction != GpioDirection.Output) throw new InvalidOperationException($"GPIO line '{Label}' is open as an input");
            Driven = high;
            _line.Changed();
        }
    }

    public void Reconfigure(GpioLineConfig config)
    {
        lock (_line.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _line.CheckConfig(config);
            bool wasOutput = Config.Direction == GpioDirection.Output;
            Config = config;
            // An output keeps driving what it drove; a line turning output starts at InitialHigh.
            if (config.Direction == GpioDirection.Output && !wasOutput) Driven = config.InitialHigh;
            _line.Changed();
            // The level change a reconfiguration itself causes is not an edge from outside.
            _rising = _falling = 0;
        }
    }

    internal void ClearEdges() => _rising = _falling = 0;

    internal void OnLevelChanged(bool high)
    {
        if (Config.Direction != GpioDirection.Input) return;
        if (high) _rising++;
        else _falling++;
    }

    public bool TryTakeEdge(GpioEdge edge)
    {
        lock (_line.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CheckInput();
            return Take(edge);
        }
    }

    public bool WaitForEdge(GpioEdge edge, TimeSpan timeout, CancellationToken cancellation = default)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a timeout is positive, zero or infinite");
        long deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)Math.Ceiling(timeout.TotalMilliseconds);
        using CancellationTokenRegistration registration = cancellation.CanBeCanceled
            ? cancellation.Register(static state =>
            {
                var gate = (object)state!;
                lock (gate) Monitor.PulseAll(gate);
            }, _line.Gate)
            : default;
        lock (_line.Gate)
        {
            while (true)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                CheckInput();
                if (Take(edge)) return true;
                cancellation.ThrowIfCancellationRequested();
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0) return false;
                Monitor.Wait(_line.Gate, deadline == long.MaxValue ? Timeout.Infinite : (int)Math.Min(remaining, int.MaxValue));
            }
        }
    }

    private void CheckInput()
    {
        if (Config.Direction != GpioDirection.Input) throw new InvalidOperationException($"GPIO line '{Label}' is open as an output; edges are seen on inputs");
    }

    private bool Take(GpioEdge edge)
    {
        ref long count = ref edge == GpioEdge.Rising ? ref _rising : ref _falling;
        if (count == 0) return false;
        count--;
        return true;
    }

    public void Dispose()
    {
        lock (_line.Gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _line.Close(this);
    }
}
