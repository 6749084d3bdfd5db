using IronWasm.Hardware.Buses;

namespace IronWasm.Benchmarks.Hardware;

/// <summary>The HTS221 driver of guests/drivers/hts221.c written in C#, for the benchmarks' native
/// baseline: the same register operations in the same order on the same bus (a register write is
/// one write message; a register read a write of the register number, then a read), the same
/// calibration and arithmetic. No policy, no handles: what a native program does.</summary>
internal sealed class CSharpHts221Driver
{
    private const byte WhoAmI = 0x0F, CtrlReg1 = 0x20, CtrlReg2 = 0x21, StatusReg = 0x27, HumidityOutL = 0x28, Calib0 = 0x30;
    private const byte AutoIncrement = 0x80, WhoAmIValue = 0xBC, PowerOnBdu = 0x84, OneShot = 0x01, DataReady = 0x03;
    private const int ConversionPolls = 100;

    private readonly II2cBus _bus;
    private readonly ushort _address;
    // Reused between operations, as a careful native driver would.
    private readonly I2cMessage[] _one = new I2cMessage[1];
    private readonly I2cMessage[] _two = new I2cMessage[2];
    private readonly byte[] _register = new byte[1], _pair = new byte[2], _status = new byte[1], _out = new byte[4], _calibration = new byte[16];
    private float _t0, _t1, _h0, _h1;
    private short _t0Out, _t1Out, _h0T0Out, _h1T0Out;

    public CSharpHts221Driver(II2cBus bus, ushort address)
    {
        _bus = bus;
        _address = address;
    }

    /// <summary>Checks WHO_AM_I, reads the calibration, powers on in one-shot mode.</summary>
    public bool Attach()
    {
        if (!ReadRegister(WhoAmI, _status) || _status[0] != WhoAmIValue) return false;
        if (!ReadRegister(Calib0 | AutoIncrement, _calibration)) return false;
        var c = _calibration;
        _h0 = c[0] / 2.0f;
        _h1 = c[1] / 2.0f;
        _t0 = (ushort)(c[2] | (c[5] & 0x03) << 8) / 8.0f;
        _t1 = (ushort)(c[3] | (c[5] & 0x0C) << 6) / 8.0f;
        _h0T0Out = Le16(c, 0x06);
        _h1T0Out = Le16(c, 0x0A);
        _t0Out = Le16(c, 0x0C);
        _t1Out = Le16(c, 0x0E);
        return WriteRegister(CtrlReg1, PowerOnBdu);
    }

    /// <summary>One one-shot measurement; NaN temperature when the bus fails.</summary>
    public (float Temperature, float Humidity) Read()
    {
        if (!WriteRegister(CtrlReg2, OneShot)) return (float.NaN, 0);
        _status[0] = 0;
        for (int poll = 0; (_status[0] & DataReady) != DataReady; poll++)
        {
            if (poll == ConversionPolls) return (float.NaN, 0);
            if (poll != 0) Thread.Sleep(2);
            if (!ReadRegister(StatusReg, _status)) return (float.NaN, 0);
        }
        if (!ReadRegister(HumidityOutL | AutoIncrement, _out)) return (float.NaN, 0);
        short h = Le16(_out, 0), t = Le16(_out, 2);
        float temperature = _t0 + (t - _t0Out) * (_t1 - _t0) / (_t1Out - _t0Out);
        float humidity = Math.Clamp(_h0 + (h - _h0T0Out) * (_h1 - _h0) / (_h1T0Out - _h0T0Out), 0, 100);
        return (temperature, humidity);
    }

    private bool WriteRegister(byte register, byte value)
    {
        _pair[0] = register;
        _pair[1] = value;
        _one[0] = I2cMessage.Write(_pair);
        return _bus.Transfer(_address, _one) == I2cStatus.Ok;
    }

    private bool ReadRegister(byte register, byte[] into)
    {
        _register[0] = register;
        _two[0] = I2cMessage.Write(_register);
        _two[1] = I2cMessage.Read(into);
        return _bus.Transfer(_address, _two) == I2cStatus.Ok;
    }

    private static short Le16(byte[] bytes, int at) => (short)(bytes[at] | bytes[at + 1] << 8);
}
