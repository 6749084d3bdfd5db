using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Simulation;

/// <summary>BME280 behaviour per the Bosch datasheet; the test applies Bosch's compensation code.</summary>
public class Bme280Tests
{
    private const ushort Address = 0x76;
    private readonly TestClock _clock = new();
    private readonly SimulatedEnvironment _environment;
    private readonly SimulatedI2cBus _bus;
    private readonly Bme280Device _device;

    public Bme280Tests()
    {
        _environment = new SimulatedEnvironment(_clock.Clock, temperature: 21.37, humidity: 48.2, pressure: 1002.64);
        _device = new Bme280Device("bme280", Address, _clock.Clock, _environment);
        _bus = I2c.BusWith(_clock, _device);
        _clock.AdvanceMs(2); // power-on start-up
    }

    private byte Read(byte register) => I2c.ReadRegister(_bus, Address, register);

    private void Write(params byte[] pairs) => Assert.Equal(I2cStatus.Ok, I2c.Write(_bus, Address, pairs));

    /// <summary>What a driver does: read the trimming, burst-read 0xF7..0xFE, compensate.</summary>
    private (double Temperature, double Pressure, double Humidity, int AdcT, int AdcP, int AdcH) Measure()
    {
        var trimming = Bme280Trimming.Decode(I2c.WriteRead(_bus, Address, [0x88], 26), I2c.WriteRead(_bus, Address, [0xE1], 7));
        byte[] d = I2c.WriteRead(_bus, Address, [0xF7], 8);
        int adcP = d[0] << 12 | d[1] << 4 | d[2] >> 4;
        int adcT = d[3] << 12 | d[4] << 4 | d[5] >> 4;
        int adcH = d[6] << 8 | d[7];
        int t = trimming.CompensateTemperature(adcT, out int fine);
        uint p = trimming.CompensatePressure(adcP, fine);
        uint h = trimming.CompensateHumidity(adcH, fine);
        return (t / 100.0, p / 256.0 / 100, h / 1024.0, adcT, adcP, adcH);
    }

    private void Forced(byte ctrlHum = 0x01, byte ctrlMeas = 0b001_001_01)
    {
        Write(0xF2, ctrlHum, 0xF4, ctrlMeas);
        _clock.AdvanceMs(10);
    }

    [Fact]
    public void Chip_id_reads_0x60()
    {
        Assert.Equal(0x60, Read(0xD0));
    }

    [Fact]
    public void It_answers_on_0x76_or_0x77_only()
    {
        _ = new Bme280Device("b", 0x77, _clock.Clock, _environment);
        Assert.Throws<ArgumentException>(() => new Bme280Device("b", 0x75, _clock.Clock, _environment));
    }

    [Fact]
    public void The_compensation_code_gives_the_datasheet_example_results()
    {
        // Worked example of Bosch's datasheet: adc_T 519888 -> 25.08 °C, adc_P 415148 -> 100653.27 Pa.
        // The example table prints 25767236 for the 64-bit formula; executing the published
        // formula gives 25767233 (0.01 Pa lower), as every faithful implementation finds.
        var trimming = Bme280Trimming.Example;
        Assert.Equal(2508, trimming.CompensateTemperature(519888, out int fine));
        Assert.Equal(128422, fine);
        Assert.Equal(25767233u, trimming.CompensatePressure(415148, fine));
        Assert.Equal(100653.27, trimming.CompensatePressure(415148, fine) / 256.0, 0.02);
    }

    [Fact]
    public void The_trimming_registers_hold_the_example_set_in_the_datasheet_layout()
    {
        byte[] block1 = I2c.WriteRead(_bus, Address, [0x88], 26);
        byte[] block2 = I2c.WriteRead(_bus, Address, [0xE1], 7);
        Assert.Equal(27504, block1[0] | block1[1] << 8); // dig_T1 at 0x88/0x89
        Assert.Equal(-10685, (short)(block1[8] | block1[9] << 8)); // dig_P2 at 0x90/0x91
        Assert.Equal(75, Read(0xA1)); // dig_H1
        Assert.Equal(Bme280Trimming.Example, Bme280Trimming.Decode(block1, block2));
        // dig_H4 = 0xE4[7:0] << 4 | 0xE5[3:0]; dig_H5 = 0xE6[7:0] << 4 | 0xE5[7:4]
        Assert.Equal(313, (block2[3] << 4) | (block2[4] & 0x0F));
        Assert.Equal(50, (block2[5] << 4) | (block2[4] >> 4));
    }

    [Fact]
    public void After_reset_the_data_registers_hold_their_reset_values()
    {
        Assert.Equal(new byte[] { 0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00 }, I2c.WriteRead(_bus, Address, [0xF7], 8));
        Assert.Equal(0x00, Read(0xF4));
    }

    [Fact]
    public void A_forced_measurement_returns_the_environment_through_the_compensation_formulas()
    {
        Forced(ctrlHum: 0x05, ctrlMeas: 0b101_101_01); // x16: 20-bit results
        _clock.AdvanceMs(100);
        var m = Measure();
        Assert.Equal(21.37, m.Temperature, 0.011);
        Assert.Equal(1002.64, m.Pressure, 0.002);
        Assert.Equal(48.2, m.Humidity, 0.01);
    }

    [Fact]
    public void Without_oversampling_pressure_is_within_the_x1_resolution_of_2_6_pa()
    {
        Forced(); // x1: 16-bit pressure, 2.62 Pa per step (datasheet table 3)
        Assert.Equal(1002.64, Measure().Pressure, 0.014);
    }

    [Theory]
    [InlineData(-40.0, 300.0, 0.0)]
    [InlineData(85.0, 1100.0, 100.0)]
    [InlineData(5.5, 850.25, 12.5)]
    public void The_whole_operating_range_converts_back(double celsius, double hpa, double percent)
    {
        _environment.Set(celsius, percent, hpa);
        Forced(ctrlHum: 0x05, ctrlMeas: 0b101_101_01);
        _clock.AdvanceMs(200);
        var m = Measure();
        Assert.Equal(celsius, m.Temperature, 0.011);
        Assert.Equal(hpa, m.Pressure, 0.01);
        Assert.Equal(percent, m.Humidity, 0.01);
    }

    [Fact]
    public void A_forced_measurement_sets_measuring_for_its_duration_then_returns_to_sleep()
    {
        Write(0xF2, 0x01, 0xF4, 0b001_001_01); // x1 each: 1 + 2 + 2.5 + 2.5 = 8 ms
        Assert.Equal(0x08, Read(0xF3) & 0x08);
        Assert.Equal(0x01, Read(0xF4) & 0x03);
        _clock.AdvanceMs(7.9);
        Assert.Equal(0x08, Read(0xF3) & 0x08);
        _clock.AdvanceMs(0.1);
        Assert.Equal(0x00, Read(0xF3) & 0x08);
        Assert.Equal(0x00, Read(0xF4) & 0x03);
    }

    [Fact]
    public void The_measurement_time_follows_the_oversampling()
    {
        Write(0xF2, 0x05, 0xF4, 0b101_101_00); // x16 each, sleep
        Write(0xF4, 0b101_101_01);
        Assert.Equal(TimeSpan.FromMilliseconds(1 + 32 + 32.5 + 32.5), _device.MeasurementTime());
    }

    [Fact]
    public void Ctrl_hum_takes_effect_only_after_a_write_to_ctrl_meas()
    {
        Write(0xF5, 0x00); // t_sb 0.5 ms
        Write(0xF2, 0x01, 0xF4, 0b001_001_11); // normal mode, humidity x1
        _clock.AdvanceMs(10);
        Assert.Equal(48.2, Measure().Humidity, 0.01);

        Write(0xF2, 0x00); // humidity off - not yet in effect
        _environment.Humidity = 60;
        _clock.AdvanceMs(20);
        Assert.Equal(60, Measure().Humidity, 0.01);

        Write(0xF4, 0b001_001_11); // now it is
        _clock.AdvanceMs(20);
        Assert.Equal(0x8000, Measure().AdcH);
    }

    [Fact]
    public void A_skipped_measurement_reads_0x80000()
    {
        Forced(ctrlHum: 0x01, ctrlMeas: 0b001_000_01); // pressure skipped
        Assert.Equal(0x80000, Measure().AdcP);
    }

    [Fact]
    public void Without_the_filter_resolution_is_16_bits_plus_oversampling()
    {
        Forced(ctrlMeas: 0b001_001_01); // x1: 16 bits, the low 4 bits of 20 are zero
        var m = Measure();
        Assert.Equal(0, m.AdcT & 0x0F);
        Assert.Equal(0, m.AdcP & 0x0F);
        Forced(ctrlMeas: 0b011_011_01); // x4: 18 bits
        m = Measure();
        Assert.Equal(0, m.AdcT & 0x03);
    }

    [Fact]
    public void The_iir_filter_approaches_a_step_gradually()
    {
        Write(0xF5, 0b000_100_00); // filter coefficient 16
        Forced();
        Assert.Equal(21.37, Measure().Temperature, 0.011);
        _environment.Temperature = 31.37;
        Forced();
        double first = Measure().Temperature;
        Assert.InRange(first, 21.5, 23.0); // 1/16 of the 10 °C step
        for (int i = 0; i < 200; i++) Forced();
        Assert.Equal(31.37, Measure().Temperature, 0.02);
    }

    [Fact]
    public void Normal_mode_measures_every_cycle_of_measurement_plus_standby()
    {
        Write(0xF5, 0b101_000_00); // t_sb 1000 ms
        Write(0xF2, 0x01, 0xF4, 0b001_001_11);
        Assert.Equal(0x03, Read(0xF4) & 0x03);
        _clock.AdvanceMs(8);
        Assert.Equal(21.37, Measure().Temperature, 0.011);
        _environment.Temperature = 25;
        _clock.AdvanceMs(500);
        Assert.Equal(21.37, Measure().Temperature, 0.011);
        _clock.AdvanceMs(508);
        Assert.Equal(25, Measure().Temperature, 0.011);
        Assert.Equal(0x03, Read(0xF4) & 0x03); // normal mode stays
    }

    [Fact]
    public void Writes_are_register_data_pairs_without_auto_increment()
    {
        // 0xF2 <- 0x03 and 0xF5 <- 0xA0 in one transfer; 0xF3 and 0xF4 untouched.
        Write(0xF2, 0x03, 0xF5, 0xA0);
        Assert.Equal(0x03, Read(0xF2));
        Assert.Equal(0xA0, Read(0xF5));
        Assert.Equal(0x00, Read(0xF4));
    }

    [Fact]
    public void Burst_reads_auto_increment_across_registers()
    {
        byte[] four = I2c.WriteRead(_bus, Address, [0xF2], 4);
        Assert.Equal(new byte[] { Read(0xF2), Read(0xF3), Read(0xF4), Read(0xF5) }, four);
    }

    [Fact]
    public void Soft_reset_restores_the_reset_state_and_raises_im_update_briefly()
    {
        Forced();
        Write(0xF5, 0xA0);
        Write(0xE0, 0xB6);
        Assert.Equal(0x00, Read(0xF4));
        Assert.Equal(0x00, Read(0xF5));
        Assert.Equal(0x01, Read(0xF3) & 0x01);
        _clock.AdvanceMs(2);
        Assert.Equal(0x00, Read(0xF3) & 0x01);
        Assert.Equal(0x80, Read(0xFA));
    }

    [Fact]
    public void Other_values_written_to_reset_do_nothing()
    {
        Write(0xF5, 0xA0);
        Write(0xE0, 0x01);
        Assert.Equal(0xA0, Read(0xF5));
    }
}
