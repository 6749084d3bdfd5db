using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Simulation;

/// <summary>HTS221 behaviour per its datasheet and TN1218.</summary>
public class Hts221Tests
{
    private const ushort Address = 0x5F;
    private readonly TestClock _clock = new();
    private readonly SimulatedEnvironment _environment;
    private readonly SimulatedI2cBus _bus;

    public Hts221Tests()
    {
        _environment = new SimulatedEnvironment(_clock.Clock, temperature: 23.4, humidity: 56.7);
        _bus = I2c.BusWith(_clock, new Hts221Device("hts221", Address, _clock.Clock, _environment));
    }

    private byte Read(byte register) => I2c.ReadRegister(_bus, Address, register);

    private void Write(byte register, byte value) => Assert.Equal(I2cStatus.Ok, I2c.Write(_bus, Address, register, value));

    /// <summary>What a driver does: read 0x30..0x3F with auto-increment and apply TN1218's interpolation.</summary>
    private (double Temperature, double Humidity) Measure()
    {
        byte[] calibration = I2c.WriteRead(_bus, Address, [0x30 | 0x80], 16);
        byte[] output = I2c.WriteRead(_bus, Address, [0x28 | 0x80], 4);
        var c = Hts221Device.Calibration.Decode(calibration);
        short h = (short)(output[0] | output[1] << 8), t = (short)(output[2] | output[3] << 8);
        return (c.Temperature(t), c.Humidity(h));
    }

    [Fact]
    public void Who_am_i_reads_0xbc()
    {
        Assert.Equal(0xBC, Read(0x0F));
    }

    [Fact]
    public void Av_conf_resets_to_0x1b_and_the_device_starts_powered_down()
    {
        Assert.Equal(0x1B, Read(0x10));
        Assert.Equal(0x00, Read(0x20));
        Assert.Equal(0x00, Read(0x27));
    }

    [Fact]
    public void Only_the_fixed_address_0x5f_is_accepted()
    {
        Assert.Throws<ArgumentException>(() => new Hts221Device("x", 0x5E, _clock.Clock, _environment));
    }

    [Fact]
    public void Without_the_msb_of_the_sub_address_a_multi_byte_read_repeats_one_register()
    {
        Assert.Equal(new byte[] { 0xBC, 0xBC, 0xBC }, I2c.WriteRead(_bus, Address, [0x0F], 3));
    }

    [Fact]
    public void With_the_msb_set_the_sub_address_increments()
    {
        byte[] expected = Hts221Device.FactoryCalibration.ToArray();
        Assert.Equal(expected, I2c.WriteRead(_bus, Address, [0xB0], 16));
        Assert.Equal(expected[0], Read(0x30));
    }

    [Fact]
    public void The_calibration_is_realistic_and_decodes_as_tn1218_says()
    {
        var c = Hts221Device.Calibration.Decode(I2c.WriteRead(_bus, Address, [0xB0], 16));
        Assert.Equal(30.5, c.H0Rh);
        Assert.Equal(71.5, c.H1Rh);
        Assert.Equal(19.125, c.T0DegC);
        Assert.Equal(33.75, c.T1DegC); // needs the T1 MSB bits of 0x35
        Assert.Equal(-3, c.T0Out);
        Assert.Equal(795, c.T1Out);
        Assert.Equal(-14, c.H0T0Out);
        Assert.Equal(-12043, c.H1T0Out);
    }

    [Fact]
    public void In_power_down_a_one_shot_does_not_convert()
    {
        Write(0x21, 0x01);
        Assert.Equal(0x00, Read(0x27));
        Assert.Equal(new byte[4], I2c.WriteRead(_bus, Address, [0xA8], 4));
    }

    [Fact]
    public void A_one_shot_conversion_reports_the_environment_through_the_datasheet_formulas()
    {
        Write(0x20, 0x80); // PD = 1, ODR = one-shot
        Write(0x21, 0x01);
        Assert.Equal(0x03, Read(0x27)); // H_DA and T_DA
        Assert.Equal(0x00, Read(0x21) & 0x01); // ONE_SHOT clears itself when done
        var (t, h) = Measure();
        Assert.Equal(23.4, t, 0.02); // one LSB is 0.018 °C with this calibration
        Assert.Equal(56.7, h, 0.01);
    }

    [Fact]
    public void Reading_the_high_output_bytes_clears_the_data_available_bits()
    {
        Write(0x20, 0x80);
        Write(0x21, 0x01);
        Read(0x29);
        Assert.Equal(0x01, Read(0x27));
        Read(0x2B);
        Assert.Equal(0x00, Read(0x27));
    }

    [Fact]
    public void A_conversion_time_delays_the_result()
    {
        var bus = new SimulatedI2cBus("b", _clock.Clock);
        bus.Attach(new Hts221Device("slow", Address, _clock.Clock, _environment, conversionTime: TimeSpan.FromMilliseconds(10)));
        I2c.Write(bus, Address, 0x20, 0x80);
        I2c.Write(bus, Address, 0x21, 0x01);
        Assert.Equal(0x00, I2c.ReadRegister(bus, Address, 0x27));
        Assert.Equal(0x01, I2c.ReadRegister(bus, Address, 0x21));
        _clock.AdvanceMs(10);
        Assert.Equal(0x03, I2c.ReadRegister(bus, Address, 0x27));
    }

    [Fact]
    public void In_continuous_mode_samples_follow_the_output_data_rate()
    {
        Write(0x20, 0x81); // PD, 1 Hz
        Assert.Equal(0x00, Read(0x27));
        _clock.AdvanceMs(1000);
        Assert.Equal(23.4, Measure().Temperature, 0.02);
        _environment.Temperature = 30;
        _clock.AdvanceMs(500);
        Assert.Equal(23.4, Measure().Temperature, 0.02); // the next sample is not due yet
        _clock.AdvanceMs(500);
        Assert.Equal(30, Measure().Temperature, 0.02);
    }

    [Fact]
    public void Block_data_update_holds_a_pair_between_its_low_and_high_byte()
    {
        Write(0x20, 0x80 | 0x04 | 0x03); // PD, BDU, 12.5 Hz
        _clock.AdvanceMs(80);
        byte low = Read(0x2A);
        _environment.Temperature = 40;
        _clock.AdvanceMs(80);
        byte high = Read(0x2B);
        short raw = (short)(low | high << 8);
        var c = Hts221Device.Calibration.Factory;
        Assert.Equal(23.4, c.Temperature(raw), 0.02); // both bytes from the same sample
        _clock.AdvanceMs(80);
        Assert.Equal(40, Measure().Temperature, 0.02);
    }

    [Fact]
    public void Boot_restores_overwritten_calibration()
    {
        Write(0x30, 0x00);
        Assert.Equal(0x00, Read(0x30));
        Write(0x21, 0x80);
        Assert.Equal(Hts221Device.FactoryCalibration[0], Read(0x30));
        Assert.Equal(0x00, Read(0x21) & 0x80);
    }

    [Fact]
    public void Powering_down_stops_new_samples()
    {
        Write(0x20, 0x81);
        _clock.AdvanceMs(1000);
        double before = Measure().Temperature;
        Write(0x20, 0x01);
        _environment.Temperature = 35;
        _clock.AdvanceMs(5000);
        Assert.Equal(before, Measure().Temperature);
    }

    [Theory]
    [InlineData(-40.0, 0.0)]
    [InlineData(85.0, 100.0)]
    [InlineData(0.0, 12.5)]
    public void Extremes_of_the_range_convert_back(double celsius, double percent)
    {
        _environment.Set(celsius, percent, 1000);
        Write(0x20, 0x80);
        Write(0x21, 0x01);
        var (t, h) = Measure();
        Assert.Equal(celsius, t, 0.02);
        Assert.Equal(percent, h, 0.01);
    }
}
