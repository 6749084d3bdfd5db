using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Simulation.Gpio;

/// <summary>A change of a line's physical level, <see cref="At"/> after the simulation started.</summary>
public readonly record struct LevelChange(TimeSpan At, bool High);

/// <summary>One digital GPIO line and what is wired to it. Its level follows the electrical
/// rules: a line opened as output has the level it drives; otherwise what the outside drives
/// (a pressed button, an externally driven pin), else the pull configured when it was opened,
/// else the level the board's own wiring gives it. Level changes are recorded with timestamps.</summary>
public abstract class SimulatedDigitalLine
{
    private const int HistoryLimit = 10_000;

    /// <summary>Taken for every state change and waited on (Monitor) by WaitForEdge.</summary>
    internal readonly object Gate = new();
    private readonly List<LevelChange> _history = [];
    private OpenDigitalLine? _open;
    private bool _level;

    private protected SimulatedDigitalLine(string label, uint offset, SimulationClock clock)
    {
        Label = label;
        Offset = offset;
        Clock = clock;
    }

    public string Label { get; }

    public uint Offset { get; }

    /// <summary>The line type as written in simulation files: "led", "button" or "pin".</summary>
    public abstract string Kind { get; }

    public abstract string Description { get; }

    public abstract bool CanInput { get; }

    public abstract bool CanOutput { get; }

    private protected SimulationClock Clock { get; }

    /// <summary>Whether the line is open (in one place at a time).</summary>
    public bool IsOpen { get { lock (Gate) return _open is not null; } }

    /// <summary>The physical level now.</summary>
    public bool Level { get { lock (Gate) return _level; } }

    /// <summary>Every change of the physical level so far (the latest 10,000).</summary>
    public IReadOnlyList<LevelChange> History { get { lock (Gate) return _history.ToArray(); } }

    /// <summary>What the outside world drives the line to, or null when it leaves it alone.</summary>
    private protected abstract bool? ExternalLevel { get; }

    /// <summary>The level the board's wiring gives the line when nothing drives it and no pull is on.</summary>
    private protected abstract bool IdleLevel { get; }

    internal void Initialise()
    {
        lock (Gate) _level = Compute();
    }

    internal OpenDigitalLine Open(GpioLineConfig config)
    {
        lock (Gate)
        {
            if (_open is not null) throw new InvalidOperationException($"GPIO line '{Label}' is already open");
            CheckConfig(config);
            _open = new OpenDigitalLine(this, config);
            Recompute();
            // Edges count from the moment the line is open, not the settling of its own pull.
            _open.ClearEdges();
            return _open;
        }
    }

    internal void CheckConfig(GpioLineConfig config)
    {
        if (config.Direction == GpioDirection.Input && !CanInput)
            throw new InvalidOperationException($"GPIO line '{Label}' ({Description}) can only be an output");
        if (config.Direction == GpioDirection.Output && !CanOutput)
            throw new InvalidOperationException($"GPIO line '{Label}' ({Description}) can only be an input");
        if (!Enum.IsDefined(config.Pull)) throw new InvalidOperationException($"unknown pull setting {config.Pull}");
    }

    internal void Close(OpenDigitalLine handle)
    {
        lock (Gate)
        {
            if (_open != handle) return;
            _open = null;
            Recompute();
            Monitor.PulseAll(Gate);
        }
    }

    /// <summary>Re-evaluates the level after anything that affects it changed; records the change
    /// and hands the edge to the open input. Call with <see cref="Gate"/> held.</summary>
    private protected void Recompute()
    {
        bool level = Compute();
        if (level == _level) return;
        _level = level;
        if (_history.Count == HistoryLimit) _history.RemoveAt(0);
        _history.Add(new LevelChange(Clock.Elapsed, level));
        _open?.OnLevelChanged(level);
        Monitor.PulseAll(Gate);
    }

    internal void Changed()
    {
        lock (Gate) Recompute();
    }

    private bool Compute()
    {
        if (_open is { Config.Direction: GpioDirection.Output } output) return output.Driven;
        if (ExternalLevel is { } external) return external;
        return _open?.Config.Pull switch
        {
            GpioPull.PullUp => true,
            GpioPull.PullDown => false,
            _ => IdleLevel,
        };
    }

    internal GpioLineInfo Info => new(Label, Offset, CanInput, CanOutput, IsAnalog: false, InUse: IsOpen);

    internal virtual void StartScript() { }

    internal virtual void StopScript() { }
}

/// <summary>An LED from the line through a resistor to ground (active high) or from the supply
/// to the line (active low). An output only.</summary>
public sealed class SimulatedLed : SimulatedDigitalLine
{
    internal SimulatedLed(string label, uint offset, SimulationClock clock, bool activeHigh = true) : base(label, offset, clock)
    {
        ActiveHigh = activeHigh;
        Initialise();
    }

    public bool ActiveHigh { get; }

    public override string Kind => "led";

    public override string Description => ActiveHigh ? "LED (lit when high)" : "LED (lit when low)";

    public override bool CanInput => false;

    public override bool CanOutput => true;

    public bool IsOn => Level == ActiveHigh;

    /// <summary>The moments the LED went on (true) or off (false).</summary>
    public IReadOnlyList<(TimeSpan At, bool On)> Changes => History.Select(c => (c.At, c.High == ActiveHigh)).ToArray();

    private protected override bool? ExternalLevel => null;

    // An undriven line leaves the LED dark.
    private protected override bool IdleLevel => !ActiveHigh;
}

/// <summary>A simulated input pin that tests or the host drive from outside (or leave floating,
/// where it reads low unless a pull is configured); it can also be opened as an output.</summary>
public sealed class SimulatedPin : SimulatedDigitalLine
{
    private bool? _external;

    internal SimulatedPin(string label, uint offset, SimulationClock clock) : base(label, offset, clock) => Initialise();

    public override string Kind => "pin";

    public override string Description => "general-purpose pin";

    public override bool CanInput => true;

    public override bool CanOutput => true;

    /// <summary>Drives the pin from outside (null: lets it float).</summary>
    public void Drive(bool? level)
    {
        lock (Gate)
        {
            _external = level;
            Recompute();
        }
    }

    private protected override bool? ExternalLevel => _external;

    private protected override bool IdleLevel => false;
}
