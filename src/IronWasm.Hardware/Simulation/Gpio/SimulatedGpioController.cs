using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Simulation.Gpio;

/// <summary>A GPIO controller of simulated lines found by label: LEDs, buttons, general pins and
/// analog lines. A line is open in one place at a time.</summary>
public sealed class SimulatedGpioController : IGpioController
{
    private readonly Dictionary<string, SimulatedDigitalLine> _digital = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedAnalogLine> _analog = new(StringComparer.Ordinal);
    private readonly List<object> _order = [];
    private readonly SimulationClock _clock;
    private readonly Lock _lock = new();
    private bool _disposed;

    internal SimulatedGpioController(string name, SimulationClock clock)
    {
        Name = name;
        _clock = clock;
    }

    public string Name { get; }

    public string Description => $"simulated GPIO controller, {_order.Count} line{(_order.Count == 1 ? "" : "s")}";

    public IReadOnlyList<GpioLineInfo> Lines
    {
        get
        {
            var list = new GpioLineInfo[_order.Count];
            for (int i = 0; i < list.Length; i++)
                list[i] = _order[i] is SimulatedDigitalLine d ? d.Info : ((SimulatedAnalogLine)_order[i]).Info;
            return list;
        }
    }

    /// <summary>The digital lines in the order they were declared.</summary>
    public IEnumerable<SimulatedDigitalLine> DigitalLines => _order.OfType<SimulatedDigitalLine>();

    public IEnumerable<SimulatedAnalogLine> AnalogLines => _order.OfType<SimulatedAnalogLine>();

    internal SimulatedLed AddLed(string label, bool activeHigh = true) => Add(new SimulatedLed(label, NextOffset(label), _clock, activeHigh));

    internal SimulatedButton AddButton(string label, bool pressedHigh = true, IReadOnlyList<ButtonPress>? script = null, TimeSpan? repeatEvery = null) =>
        Add(new SimulatedButton(label, NextOffset(label), _clock, pressedHigh, script, repeatEvery));

    internal SimulatedPin AddPin(string label) => Add(new SimulatedPin(label, NextOffset(label), _clock));

    internal SimulatedAnalogLine AddAnalog(string label, AnalogLineKind kind, int bits, uint initial = 0)
    {
        var line = new SimulatedAnalogLine(label, NextOffset(label), _clock, kind, bits, initial);
        _analog.Add(label, line);
        _order.Add(line);
        return line;
    }

    private T Add<T>(T line) where T : SimulatedDigitalLine
    {
        _digital.Add(line.Label, line);
        _order.Add(line);
        return line;
    }

    private uint NextOffset(string label)
    {
        if (string.IsNullOrEmpty(label)) throw new ArgumentException("a GPIO line needs a label");
        if (_digital.ContainsKey(label) || _analog.ContainsKey(label)) throw new ArgumentException($"GPIO label '{label}' is used twice");
        return (uint)_order.Count;
    }

    public IGpioLine OpenDigital(string label, GpioLineConfig config)
    {
        ArgumentNullException.ThrowIfNull(label);
        lock (_lock) ObjectDisposedException.ThrowIf(_disposed, this);
        if (_digital.TryGetValue(label, out SimulatedDigitalLine? line)) return line.Open(config);
        if (_analog.ContainsKey(label)) throw new InvalidOperationException($"GPIO line '{label}' is analog; open it with OpenAnalog");
        throw new KeyNotFoundException($"no GPIO line is labelled '{label}' on {Name} (lines: {string.Join(", ", _order.Select(LabelOf))})");
    }

    public IAnalogLine OpenAnalog(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        lock (_lock) ObjectDisposedException.ThrowIf(_disposed, this);
        if (_analog.TryGetValue(label, out SimulatedAnalogLine? line)) return line.Open();
        throw new KeyNotFoundException($"no analog line is labelled '{label}' on {Name} (analog lines: {string.Join(", ", _analog.Keys)})");
    }

    private static string LabelOf(object line) => line is SimulatedDigitalLine d ? d.Label : ((SimulatedAnalogLine)line).Label;

    /// <summary>The digital line labelled <paramref name="label"/>.</summary>
    public SimulatedDigitalLine Line(string label) =>
        _digital.TryGetValue(label, out var line) ? line : throw new KeyNotFoundException($"no digital GPIO line is labelled '{label}'");

    public SimulatedLed Led(string label) => Line(label) as SimulatedLed ?? throw new KeyNotFoundException($"GPIO line '{label}' is not an LED");

    public SimulatedButton Button(string label) => Line(label) as SimulatedButton ?? throw new KeyNotFoundException($"GPIO line '{label}' is not a button");

    public SimulatedPin Pin(string label) => Line(label) as SimulatedPin ?? throw new KeyNotFoundException($"GPIO line '{label}' is not a pin");

    public SimulatedAnalogLine Analog(string label) =>
        _analog.TryGetValue(label, out var line) ? line : throw new KeyNotFoundException($"no analog GPIO line is labelled '{label}'");

    /// <summary>Starts the scripted button presses (relative to now). Idempotent.</summary>
    public void StartScripts()
    {
        foreach (SimulatedDigitalLine line in DigitalLines) line.StartScript();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        foreach (SimulatedDigitalLine line in DigitalLines) line.StopScript();
    }
}
