namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>Microchip MCP3008: 10-bit ADC, 8 channels, SPI. Modelled bit by bit as in the
/// datasheet (DS21295, section 5 and 6.1): with chip select low, the first 1 clocked in is the
/// start bit; then SGL/DIFF, D2, D1, D0; the next clock samples; then DOUT gives a null bit (0)
/// and B9..B0 MSB first, then, while the clock runs on, B1..B9 LSB first, then zeros. Before the
/// null bit DOUT is high impedance, which the model reads as 1. So the usual 3-byte exchange
/// 0x01, (SGL &lt;&lt; 7 | ch &lt;&lt; 4), 0x00 returns the result in (r[1] &amp; 3) &lt;&lt; 8 | r[2]. Code =
/// 1024 · Vin / Vref, clamped to 0..1023; differential pairs per table 5-2 (CH0/CH1, CH2/CH3, ...
/// with D0 choosing which is IN+), negative differences give 0.</summary>
public sealed class Mcp3008Device : SimulatedSpiDevice
{
    public const int Channels = 8;

    private readonly double[] _volts = new double[Channels];
    private double _reference;
    // Bit-level state of one conversion
    private int _clocksSinceStart = -1; // -1: waiting for the start bit
    private int _config;
    private int _result;

    internal Mcp3008Device(string name, SimulationClock clock, double referenceVolts = 3.3) : base(name, clock)
    {
        if (!(referenceVolts > 0 && referenceVolts <= 5.5)) throw new ArgumentOutOfRangeException(nameof(referenceVolts), referenceVolts, "the MCP3008 reference is above 0 and at most 5.5 V");
        _reference = referenceVolts;
    }

    public override string Kind => "mcp3008";

    public override string Description => $"Microchip MCP3008 10-bit ADC, 8 channels, Vref {_reference.ToString(System.Globalization.CultureInfo.InvariantCulture)} V";

    public double ReferenceVolts
    {
        get { lock (Sync) return _reference; }
        set
        {
            if (!(value > 0 && value <= 5.5)) throw new ArgumentOutOfRangeException(nameof(value), value, "the MCP3008 reference is above 0 and at most 5.5 V");
            lock (Sync) _reference = value;
        }
    }

    /// <summary>Sets the voltage on channel <paramref name="channel"/> (0 to Vref... it is clamped by the converter, not here).</summary>
    public void SetChannelVoltage(int channel, double volts)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)channel, (uint)Channels, nameof(channel));
        if (!double.IsFinite(volts)) throw new ArgumentOutOfRangeException(nameof(volts), volts, "a voltage is a finite number");
        lock (Sync) _volts[channel] = volts;
    }

    /// <summary>Sets channel <paramref name="channel"/> to the voltage that converts to <paramref name="code"/> (0..1023).</summary>
    public void SetChannelCode(int channel, int code)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)code, 1023u, nameof(code));
        lock (Sync) SetChannelVoltage(channel, (code + 0.5) * _reference / 1024);
    }

    public double ChannelVoltage(int channel) { lock (Sync) return _volts[channel]; }

    /// <summary>The code a conversion of <paramref name="channel"/> (single-ended) gives now.</summary>
    public int ExpectedCode(int channel) { lock (Sync) return Convert(_volts[channel]); }

    private int Convert(double volts) => (int)Math.Clamp(Math.Floor(1024 * volts / _reference), 0, 1023);

    private protected override void ChipSelect()
    {
        _clocksSinceStart = -1;
        _config = 0;
    }

    private protected override byte Exchange(byte mosi)
    {
        int miso = 0;
        for (int bit = 7; bit >= 0; bit--)
        {
            miso = (miso << 1) | Clock1(((mosi >> bit) & 1) != 0);
        }
        return (byte)miso;
    }

    /// <summary>One SCLK period: the level DOUT shows, then DIN clocked in on the rising edge.</summary>
    private int Clock1(bool din)
    {
        int k = _clocksSinceStart;
        int dout = k switch
        {
            < 5 => 1,                       // high impedance until the sample period ends
            5 => 0,                         // null bit
            >= 6 and <= 15 => (_result >> (15 - k)) & 1,     // B9..B0
            >= 16 and <= 24 => (_result >> (k - 15)) & 1,    // B1..B9, LSB first
            _ => 0,
        };
        if (k < 0)
        {
            if (din) _clocksSinceStart = 0; // start bit
            return dout;
        }
        if (k < 4) _config = (_config << 1) | (din ? 1 : 0);
        if (k == 3) Sample();
        _clocksSinceStart++;
        return dout;
    }

    private void Sample()
    {
        bool single = (_config & 0x08) != 0;
        int select = _config & 0x07;
        if (single)
        {
            _result = Convert(_volts[select]);
            return;
        }
        int pair = select & 0x06;
        bool swapped = (select & 1) != 0;
        double plus = _volts[swapped ? pair + 1 : pair], minus = _volts[swapped ? pair : pair + 1];
        _result = Convert(plus - minus);
    }

    private protected override void ChipDeselect()
    {
        _clocksSinceStart = -1;
    }
}
