namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>Bosch BME280 combined humidity, pressure and temperature sensor on I2C (0x76 with
/// SDO to GND, 0x77 with SDO to VDDIO). Follows the BME280 datasheet (BST-BME280-DS002): the
/// memory map of section 5.3, I2C writes as register/data pairs and auto-incrementing burst
/// reads (6.2), sleep/forced/normal modes with the measurement time of section 9.1, data
/// resolution by oversampling and the IIR filter (3.4, 3.5), ctrl_hum taking effect only on a
/// ctrl_meas write, and raw values that Bosch's compensation formulas turn into the environment's
/// temperature, pressure and humidity.</summary>
public sealed class Bme280Device : SimulatedI2cDevice
{
    internal const byte CalibrationBlock1 = 0x88, ChipId = 0xD0, Reset = 0xE0, CalibrationBlock2 = 0xE1,
        CtrlHum = 0xF2, Status = 0xF3, CtrlMeas = 0xF4, Config = 0xF5, PressMsb = 0xF7, HumLsb = 0xFE;
    internal const byte ChipIdValue = 0x60, ResetCommand = 0xB6, Measuring = 0x08, ImUpdate = 0x01;
    /// <summary>tstartup, and how long the NVM copy after a soft reset keeps im_update set.</summary>
    internal static readonly TimeSpan StartupTime = TimeSpan.FromMilliseconds(2);

    private readonly SimulatedEnvironment _environment;
    private readonly Bme280Trimming _trimming;
    private readonly byte[] _block1, _block2;
    private byte _pointer;
    private bool _expectRegister;
    private byte _ctrlHum, _ctrlMeas, _config;
    /// <summary>osrs_h as latched by the last ctrl_meas write.</summary>
    private int _osrsHActive;
    private TimeSpan _nvmReadyAt;
    // Forced mode: one measurement that ends at _forcedEnd. Normal mode: cycles from _normalStart.
    private TimeSpan? _forcedEnd;
    private TimeSpan _normalStart;
    private long _normalDone;
    // The data registers (0xF7..0xFE) and the shadow a burst read sees.
    private readonly byte[] _data = new byte[8];
    private readonly byte[] _shadow = new byte[8];
    private bool _reading;
    private int? _filteredT, _filteredP;

    internal Bme280Device(string name, ushort address, SimulationClock clock, SimulatedEnvironment environment, Bme280Trimming? trimming = null)
        : base(name, address, clock)
    {
        if (address is not (0x76 or 0x77)) throw new ArgumentException("the BME280 answers on 0x76 (SDO to GND) or 0x77 (SDO to VDDIO)", nameof(address));
        _environment = environment;
        _trimming = trimming ?? Bme280Trimming.Example;
        _block1 = _trimming.Block1();
        _block2 = _trimming.Block2();
        SoftReset();
    }

    public override string Kind => "bme280";

    public override string Description => "Bosch BME280 humidity, pressure and temperature sensor";

    /// <summary>The mode bits of ctrl_meas: 0 sleep, 1 or 2 forced, 3 normal.</summary>
    public int Mode { get { lock (Sync) { Update(); return _ctrlMeas & 0x03; } } }

    private void SoftReset()
    {
        _ctrlHum = _ctrlMeas = _config = 0;
        _osrsHActive = 0;
        _forcedEnd = null;
        _filteredT = _filteredP = null;
        // Reset values of the data registers: 0x80000 for pressure and temperature, 0x8000 for humidity.
        _data.AsSpan().Clear();
        _data[0] = 0x80;
        _data[3] = 0x80;
        _data[6] = 0x80;
        _nvmReadyAt = Clock.Elapsed + StartupTime;
    }

    internal override bool OnStart(ushort address, bool read)
    {
        if (read)
        {
            Update();
            // Burst reads see one consistent set of data registers (data shadowing, section 4).
            if (!_reading) _data.CopyTo(_shadow, 0);
            _reading = true;
        }
        else
        {
            _expectRegister = true;
        }
        return true;
    }

    internal override bool OnWrite(byte value)
    {
        // Writes are register address / data pairs; there is no auto-increment on writes.
        if (_expectRegister)
        {
            _pointer = value;
            _expectRegister = false;
        }
        else
        {
            WriteRegister(_pointer, value);
            _expectRegister = true;
        }
        return true;
    }

    internal override byte OnRead()
    {
        byte value = ReadRegister(_pointer);
        _pointer++;
        return value;
    }

    internal override void OnStop()
    {
        _reading = false;
    }

    private void WriteRegister(byte register, byte value)
    {
        Update();
        switch (register)
        {
            case Reset:
                if (value == ResetCommand) SoftReset();
                break;
            case CtrlHum:
                _ctrlHum = (byte)(value & 0x07);
                break;
            case Config:
                _config = (byte)(value & 0xFD);
                break;
            case CtrlMeas:
                _ctrlMeas = value;
                _osrsHActive = _ctrlHum;
                int mode = value & 0x03;
                if (mode is 1 or 2) _forcedEnd = Clock.Elapsed + MeasurementTime();
                else _forcedEnd = null;
                if (mode == 3)
                {
                    _normalStart = Clock.Elapsed;
                    _normalDone = 0;
                }
                break;
        }
    }

    private byte ReadRegister(byte register)
    {
        if (register >= CalibrationBlock1 && register < CalibrationBlock1 + _block1.Length) return _block1[register - CalibrationBlock1];
        if (register >= CalibrationBlock2 && register < CalibrationBlock2 + _block2.Length) return _block2[register - CalibrationBlock2];
        if (register >= PressMsb) return _reading ? _shadow[register - PressMsb] : _data[register - PressMsb];
        return register switch
        {
            ChipId => ChipIdValue,
            CtrlHum => _ctrlHum,
            Status => StatusValue(),
            CtrlMeas => _ctrlMeas,
            Config => _config,
            _ => 0,
        };
    }

    private byte StatusValue()
    {
        Update();
        TimeSpan now = Clock.Elapsed;
        byte status = 0;
        if (now < _nvmReadyAt) status |= ImUpdate;
        if (_forcedEnd is not null) status |= Measuring;
        else if ((_ctrlMeas & 0x03) == 3)
        {
            TimeSpan cycle = MeasurementTime() + StandbyTime();
            TimeSpan inCycle = TimeSpan.FromTicks((now - _normalStart).Ticks % cycle.Ticks);
            if (inCycle < MeasurementTime()) status |= Measuring;
        }
        return status;
    }

    /// <summary>Completes the measurements that fell due since the last access.</summary>
    private void Update()
    {
        TimeSpan now = Clock.Elapsed;
        if (_forcedEnd is { } end && now >= end)
        {
            _forcedEnd = null;
            Measure();
            // After a forced measurement the sensor returns to sleep mode.
            _ctrlMeas &= 0xFC;
        }
        if ((_ctrlMeas & 0x03) == 3)
        {
            TimeSpan t = MeasurementTime();
            TimeSpan cycle = t + StandbyTime();
            long done = now < _normalStart + t ? 0 : 1 + (now - _normalStart - t).Ticks / cycle.Ticks;
            if (done > _normalDone)
            {
                _normalDone = done;
                Measure();
            }
        }
    }

    private static int Oversampling(int osrs) => osrs switch { 0 => 0, 1 => 1, 2 => 2, 3 => 4, 4 => 8, _ => 16 };

    /// <summary>Typical measurement time (section 9.1): 1 + 2·T + (2·P + 0.5) + (2·H + 0.5) ms,
    /// the 0.5 terms only for the measurements that run.</summary>
    internal TimeSpan MeasurementTime()
    {
        int t = Oversampling(_ctrlMeas >> 5), p = Oversampling((_ctrlMeas >> 2) & 0x07), h = Oversampling(_osrsHActive);
        double ms = 1 + 2 * t + (p > 0 ? 2 * p + 0.5 : 0) + (h > 0 ? 2 * h + 0.5 : 0);
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>t_sb of config[7:5] (table 27).</summary>
    private TimeSpan StandbyTime() => TimeSpan.FromMilliseconds((_config >> 5) switch
    {
        0 => 0.5, 1 => 62.5, 2 => 125, 3 => 250, 4 => 500, 5 => 1000, 6 => 10, _ => 20,
    });

    private void Measure()
    {
        EnvironmentReading air = _environment.Read();
        int osrsT = _ctrlMeas >> 5, osrsP = (_ctrlMeas >> 2) & 0x07;
        int filter = (_config >> 2) & 0x07;
        int coefficient = filter switch { 0 => 1, 1 => 2, 2 => 4, 3 => 8, _ => 16 };

        int adcT = _trimming.RawTemperature(air.Temperature);
        _trimming.CompensateTemperature(adcT, out int tFine);
        int adcP = _trimming.RawPressure(air.Pressure, tFine);
        int adcH = _trimming.RawHumidity(air.Humidity, tFine);

        int temperature = 0x80000, pressure = 0x80000, humidity = 0x8000;
        if (osrsT != 0) temperature = Filter(ref _filteredT, adcT, coefficient, osrsT);
        if (osrsP != 0) pressure = Filter(ref _filteredP, adcP, coefficient, osrsP);
        if (_osrsHActive != 0) humidity = adcH;

        _data[0] = (byte)(pressure >> 12);
        _data[1] = (byte)(pressure >> 4);
        _data[2] = (byte)((pressure & 0x0F) << 4);
        _data[3] = (byte)(temperature >> 12);
        _data[4] = (byte)(temperature >> 4);
        _data[5] = (byte)((temperature & 0x0F) << 4);
        _data[6] = (byte)(humidity >> 8);
        _data[7] = (byte)humidity;
    }

    /// <summary>With the IIR filter on, data has 20 bits and follows
    /// x = (x_prev·(c−1) + x_new) / c; with it off, 16 + (osrs − 1) bits (section 3.4/3.5).</summary>
    private static int Filter(ref int? state, int sample, int coefficient, int osrs)
    {
        if (coefficient == 1)
        {
            state = null;
            int bits = 16 + Math.Min(osrs, 5) - 1;
            int step = 1 << (20 - bits);
            return Math.Min((sample + step / 2) / step * step, (1 << 20) - step);
        }
        int previous = state ?? sample;
        int filtered = (previous * (coefficient - 1) + sample) / coefficient;
        state = filtered;
        return filtered;
    }
}
