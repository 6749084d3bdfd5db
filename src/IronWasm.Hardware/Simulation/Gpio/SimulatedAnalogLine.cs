using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Simulation.Gpio;

/// <summary>A value written to an analog output, <see cref="At"/> after the simulation started.</summary>
public readonly record struct AnalogWrite(TimeSpan At, uint Value);

public enum AnalogLineKind : byte
{
    /// <summary>An ADC input whose value tests or the host set.</summary>
    Adc,
    /// <summary>A DAC output; writes are recorded.</summary>
    Dac,
    /// <summary>A PWM output (the value is the duty cycle in 2^bits steps); writes are recorded.</summary>
    Pwm,
}

/// <summary>An analog line: an ADC input with a settable value, or a DAC/PWM output whose writes
/// are recorded with timestamps. Values are raw, <see cref="Bits"/> bits wide.</summary>
public sealed class SimulatedAnalogLine
{
    private const int HistoryLimit = 10_000;
    private readonly Lock _lock = new();
    private readonly SimulationClock _clock;
    private readonly List<AnalogWrite> _writes = [];
    private uint _value;
    private Handle? _open;

    internal SimulatedAnalogLine(string label, uint offset, SimulationClock clock, AnalogLineKind kind, int bits, uint initial = 0)
    {
        if (bits is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(bits), bits, $"analog line '{label}': 1 to 16 bits");
        Label = label;
        Offset = offset;
        _clock = clock;
        Kind = kind;
        Bits = bits;
        if (initial > MaxValue) throw new ArgumentOutOfRangeException(nameof(initial), initial, $"analog line '{label}': {bits} bits hold at most {MaxValue}");
        _value = initial;
    }

    public string Label { get; }

    public uint Offset { get; }

    public AnalogLineKind Kind { get; }

    public int Bits { get; }

    public uint MaxValue => (uint)((1 << Bits) - 1);

    public string Description => Kind switch
    {
        AnalogLineKind.Adc => $"ADC input, {Bits} bits",
        AnalogLineKind.Dac => $"DAC output, {Bits} bits",
        _ => $"PWM output, {Bits} bits",
    };

    public bool IsOpen { get { lock (_lock) return _open is not null; } }

    /// <summary>The raw value: what an ADC input reads, or what was last written to an output.</summary>
    public uint Value { get { lock (_lock) return _value; } }

    /// <summary>Sets what an ADC input reads.</summary>
    public void SetValue(uint raw)
    {
        if (Kind != AnalogLineKind.Adc) throw new InvalidOperationException($"analog line '{Label}' is an output; its value comes from writes");
        if (raw > MaxValue) throw new ArgumentOutOfRangeException(nameof(raw), raw, $"{Bits} bits hold at most {MaxValue}");
        lock (_lock) _value = raw;
    }

    /// <summary>Sets an ADC input to a fraction (0 to 1) of full scale.</summary>
    public void SetFraction(double fraction)
    {
        if (!(fraction >= 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "a fraction of full scale is 0 to 1");
        SetValue((uint)Math.Round(fraction * MaxValue));
    }

    /// <summary>Every value written to the output (the latest 10,000).</summary>
    public IReadOnlyList<AnalogWrite> Writes { get { lock (_lock) return _writes.ToArray(); } }

    internal GpioLineInfo Info => new(Label, Offset, Kind == AnalogLineKind.Adc, Kind != AnalogLineKind.Adc, IsAnalog: true, InUse: IsOpen);

    internal IAnalogLine Open()
    {
        lock (_lock)
        {
            if (_open is not null) throw new InvalidOperationException($"analog line '{Label}' is already open");
            return _open = new Handle(this);
        }
    }

    private sealed class Handle(SimulatedAnalogLine line) : IAnalogLine
    {
        private bool _disposed;

        public string Label => line.Label;
        public int Bits => line.Bits;
        public bool CanRead => line.Kind == AnalogLineKind.Adc;
        public bool CanWrite => line.Kind != AnalogLineKind.Adc;

        public uint ReadRaw()
        {
            lock (line._lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!CanRead) throw new InvalidOperationException($"analog line '{Label}' is an output");
                return line._value;
            }
        }

        public void WriteRaw(uint value)
        {
            lock (line._lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!CanWrite) throw new InvalidOperationException($"analog line '{Label}' is an input");
                if (value > line.MaxValue) throw new ArgumentOutOfRangeException(nameof(value), value, $"{Bits} bits hold at most {line.MaxValue}");
                line._value = value;
                if (line._writes.Count == HistoryLimit) line._writes.RemoveAt(0);
                line._writes.Add(new AnalogWrite(line._clock.Elapsed, value));
            }
        }

        public void Dispose()
        {
            lock (line._lock)
            {
                if (_disposed) return;
                _disposed = true;
                if (line._open == this) line._open = null;
            }
        }
    }
}
