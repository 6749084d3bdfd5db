namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>ST HTS221 capacitive humidity and temperature sensor (I2C address 0x5F, fixed).
/// Register map, bit positions and the output formulas follow the HTS221 datasheet (DocID026333)
/// and ST's technical note TN1218: outputs are 16-bit two's complement, converted by linear
/// interpolation between the two factory calibration points held in 0x30 to 0x3F.</summary>
public sealed class Hts221Device : SimulatedI2cDevice
{
    public const ushort DefaultAddress = 0x5F;

    internal const byte WhoAmI = 0x0F, AvConf = 0x10, CtrlReg1 = 0x20, CtrlReg2 = 0x21, CtrlReg3 = 0x22,
        StatusReg = 0x27, HumidityOutL = 0x28, HumidityOutH = 0x29, TempOutL = 0x2A, TempOutH = 0x2B, CalibrationStart = 0x30;
    internal const byte WhoAmIValue = 0xBC, AvConfReset = 0x1B;
    internal const byte Pd = 0x80, Bdu = 0x04, OdrMask = 0x03, Boot = 0x80, Heater = 0x02, OneShot = 0x01, HDa = 0x02, TDa = 0x01;
    /// <summary>The sub-address MSB asks for auto-increment.</summary>
    internal const byte AutoIncrement = 0x80;

    /// <summary>A factory calibration as found in a real part: H0 = 30.5 %RH at H0_T0_OUT = -14,
    /// H1 = 71.5 %RH at H1_T0_OUT = -12043 (the humidity slope of real parts is often negative),
    /// T0 = 19.125 °C at T0_OUT = -3, T1 = 33.75 °C at T1_OUT = 795 (T1_degC_x8 = 270 needs the
    /// MSB bits in 0x35). 0x34, 0x38 and 0x39 are reserved and hold what real parts show.</summary>
    internal static ReadOnlySpan<byte> FactoryCalibration =>
    [
        0x3D, // 0x30 H0_rH_x2 = 61
        0x8F, // 0x31 H1_rH_x2 = 143
        0x99, // 0x32 T0_degC_x8 low byte (153)
        0x0E, // 0x33 T1_degC_x8 low byte (270 & 0xFF)
        0x00, // 0x34 reserved
        0xC4, // 0x35 T1.T0 msb: bits 3:2 = T1 msb (1), bits 1:0 = T0 msb (0)
        0xF2, 0xFF, // 0x36-0x37 H0_T0_OUT = -14
        0x3A, 0x03, // 0x38-0x39 reserved
        0xF5, 0xD0, // 0x3A-0x3B H1_T0_OUT = -12043
        0xFD, 0xFF, // 0x3C-0x3D T0_OUT = -3
        0x1B, 0x03, // 0x3E-0x3F T1_OUT = 795
    ];

    private readonly SimulatedEnvironment _environment;
    private readonly byte[] _registers = new byte[0x40];
    private readonly TimeSpan _conversionTime;
    private byte _pointer;
    private bool _autoIncrement, _expectSubAddress;
    // Continuous mode: samples are taken at _runStart + k / ODR.
    private TimeSpan _runStart;
    private long _samplesTaken;
    private TimeSpan? _oneShotDone;
    // Block data update: a pair whose low byte was read is frozen until its high byte is read.
    private bool _humidityFrozen, _temperatureFrozen;
    private short _latestHumidity, _latestTemperature;

    internal Hts221Device(string name, ushort address, SimulationClock clock, SimulatedEnvironment environment, TimeSpan conversionTime = default)
        : base(name, address, clock)
    {
        if (address != DefaultAddress) throw new ArgumentException($"the HTS221 has the fixed address 0x{DefaultAddress:x2}", nameof(address));
        _environment = environment;
        _conversionTime = conversionTime;
        PowerOnReset();
    }

    public override string Kind => "hts221";

    public override string Description => "ST HTS221 humidity and temperature sensor";

    /// <summary>Whether the device is active (CTRL_REG1.PD).</summary>
    public bool IsActive { get { lock (Sync) return (_registers[CtrlReg1] & Pd) != 0; } }

    private void PowerOnReset()
    {
        Array.Clear(_registers);
        _registers[WhoAmI] = WhoAmIValue;
        _registers[AvConf] = AvConfReset;
        FactoryCalibration.CopyTo(_registers.AsSpan(CalibrationStart));
    }

    internal override bool OnStart(ushort address, bool read)
    {
        if (!read) _expectSubAddress = true;
        return true;
    }

    internal override bool OnWrite(byte value)
    {
        if (_expectSubAddress)
        {
            _expectSubAddress = false;
            _pointer = (byte)(value & 0x7F);
            _autoIncrement = (value & AutoIncrement) != 0;
            return true;
        }
        WriteRegister(_pointer, value);
        Advance();
        return true;
    }

    internal override byte OnRead()
    {
        byte value = ReadRegister(_pointer);
        Advance();
        return value;
    }

    internal override void OnStop() { }

    private void Advance()
    {
        if (_autoIncrement) _pointer = (byte)((_pointer + 1) & 0x7F);
    }

    private void WriteRegister(byte register, byte value)
    {
        Update();
        switch (register)
        {
            case AvConf:
                _registers[AvConf] = (byte)(value & 0x3F);
                break;
            case CtrlReg1:
                bool wasRunning = IsRunning();
                _registers[CtrlReg1] = (byte)(value & (Pd | Bdu | OdrMask));
                if (!wasRunning && IsRunning())
                {
                    _runStart = Clock.Elapsed;
                    _samplesTaken = 0;
                }
                if ((value & Bdu) == 0) _humidityFrozen = _temperatureFrozen = false;
                break;
            case CtrlReg2:
                if ((value & Boot) != 0) FactoryCalibration.CopyTo(_registers.AsSpan(CalibrationStart));
                _registers[CtrlReg2] = (byte)(value & Heater);
                // One-shot starts a conversion only when active and not in continuous mode.
                if ((value & OneShot) != 0 && (_registers[CtrlReg1] & Pd) != 0 && (_registers[CtrlReg1] & OdrMask) == 0)
                {
                    _registers[CtrlReg2] |= OneShot;
                    _oneShotDone = Clock.Elapsed + _conversionTime;
                    Update();
                }
                break;
            case CtrlReg3:
                _registers[CtrlReg3] = (byte)(value & 0xC4);
                break;
            case >= CalibrationStart and < 0x40:
                // Trimming registers are writable; BOOT restores them from the internal flash.
                _registers[register] = value;
                break;
        }
    }

    private byte ReadRegister(byte register)
    {
        Update();
        if (register >= _registers.Length) return 0;
        byte value = _registers[register];
        bool bdu = (_registers[CtrlReg1] & Bdu) != 0;
        switch (register)
        {
            case HumidityOutL when bdu: _humidityFrozen = true; break;
            case TempOutL when bdu: _temperatureFrozen = true; break;
            case HumidityOutH:
                _registers[StatusReg] &= unchecked((byte)~HDa);
                if (_humidityFrozen) { _humidityFrozen = false; Publish(); }
                break;
            case TempOutH:
                _registers[StatusReg] &= unchecked((byte)~TDa);
                if (_temperatureFrozen) { _temperatureFrozen = false; Publish(); }
                break;
        }
        return value;
    }

    private bool IsRunning() => (_registers[CtrlReg1] & Pd) != 0 && (_registers[CtrlReg1] & OdrMask) != 0;

    /// <summary>Brings the outputs up to the present: takes the samples that fell due since the last access.</summary>
    private void Update()
    {
        TimeSpan now = Clock.Elapsed;
        if (_oneShotDone is { } done && now >= done)
        {
            _oneShotDone = null;
            _registers[CtrlReg2] &= unchecked((byte)~OneShot);
            Sample();
        }
        if (IsRunning())
        {
            double hz = (_registers[CtrlReg1] & OdrMask) switch { 1 => 1, 2 => 7, _ => 12.5 };
            long due = (long)Math.Floor((now - _runStart).TotalSeconds * hz);
            if (due > _samplesTaken)
            {
                _samplesTaken = due;
                Sample();
            }
        }
    }

    private void Sample()
    {
        EnvironmentReading air = _environment.Read();
        _latestHumidity = HumidityToRaw(air.Humidity);
        _latestTemperature = TemperatureToRaw(air.Temperature);
        _registers[StatusReg] |= HDa | TDa;
        Publish();
    }

    private void Publish()
    {
        if (!_humidityFrozen)
        {
            _registers[HumidityOutL] = (byte)_latestHumidity;
            _registers[HumidityOutH] = (byte)(_latestHumidity >> 8);
        }
        if (!_temperatureFrozen)
        {
            _registers[TempOutL] = (byte)_latestTemperature;
            _registers[TempOutH] = (byte)(_latestTemperature >> 8);
        }
    }

    // The chip's own trimming (its internal flash), not the readable copy a driver may overwrite.
    private static short TemperatureToRaw(double celsius)
    {
        var c = Calibration.Factory;
        return Interpolate(celsius, c.T0DegC, c.T1DegC, c.T0Out, c.T1Out);
    }

    private static short HumidityToRaw(double percent)
    {
        var c = Calibration.Factory;
        return Interpolate(percent, c.H0Rh, c.H1Rh, c.H0T0Out, c.H1T0Out);
    }

    private static short Interpolate(double value, double x0, double x1, short out0, short out1) =>
        (short)Math.Clamp(Math.Round(out0 + (value - x0) * (out1 - out0) / (x1 - x0)), short.MinValue, short.MaxValue);

    /// <summary>The calibration coefficients decoded as TN1218 describes; also used by the tests
    /// to apply the datasheet's formulas to what a driver reads.</summary>
    internal readonly record struct Calibration(double H0Rh, double H1Rh, double T0DegC, double T1DegC, short H0T0Out, short H1T0Out, short T0Out, short T1Out)
    {
        public static Calibration Factory { get; } = Decode(FactoryCalibration);

        public static Calibration Decode(ReadOnlySpan<byte> r)
        {
            int t0x8 = r[2] | ((r[5] & 0x03) << 8);
            int t1x8 = r[3] | ((r[5] & 0x0C) << 6);
            return new(r[0] / 2.0, r[1] / 2.0, t0x8 / 8.0, t1x8 / 8.0,
                (short)(r[6] | (r[7] << 8)), (short)(r[10] | (r[11] << 8)), (short)(r[12] | (r[13] << 8)), (short)(r[14] | (r[15] << 8)));
        }

        public double Temperature(short raw) => T0DegC + (raw - T0Out) * (T1DegC - T0DegC) / (T1Out - T0Out);

        public double Humidity(short raw) => H0Rh + (raw - H0T0Out) * (H1Rh - H0Rh) / (H1T0Out - H0T0Out);
    }
}
