using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Simulation;

/// <summary>TM1650 per its datasheet: command 0x48 = address 0x24, digits 0x68..0x6E = 0x34..0x37.</summary>
public class Tm1650Tests
{
    private readonly TestClock _clock = new();
    private readonly Tm1650Device _tm;
    private readonly SimulatedI2cBus _bus;

    public Tm1650Tests()
    {
        _tm = new Tm1650Device("tm1650", 0x24, _clock.Clock);
        _bus = I2c.BusWith(_clock, _tm);
    }

    private void Show(params byte[] digits)
    {
        for (int i = 0; i < digits.Length; i++) Assert.Equal(I2cStatus.Ok, I2c.Write(_bus, (ushort)(0x34 + i), digits[i]));
    }

    [Fact]
    public void After_power_on_the_display_is_off()
    {
        Show(0x06, 0x5B, 0x4F, 0x66);
        Assert.False(_tm.DisplayOn);
        Assert.Equal("    ", _tm.RenderText());
    }

    [Fact]
    public void Digits_decode_to_characters_with_decimal_points()
    {
        I2c.Write(_bus, 0x24, 0x01); // on, brightness level 8
        Show(0x06, 0x5B | 0x80, 0x4F, 0x66);
        Assert.Equal("12.34", _tm.RenderText());
    }

    [Fact]
    public void Letters_and_minus_decode_too()
    {
        I2c.Write(_bus, 0x24, 0x01);
        Show(0x40, 0x77, 0x7C, 0x39);
        Assert.Equal("-AbC", _tm.RenderText());
        Show(0x79, 0x71, 0x76, 0x00);
        Assert.Equal("EFH ", _tm.RenderText());
        Show(0x12);
        Assert.Equal('?', _tm.RenderText()[0]);
    }

    [Theory]
    [InlineData(0x01, 8)]
    [InlineData(0x11, 1)]
    [InlineData(0x41, 4)]
    [InlineData(0x71, 7)]
    public void Bits_6_to_4_set_the_brightness_with_000_the_brightest(byte command, int level)
    {
        I2c.Write(_bus, 0x24, command);
        Assert.Equal(level, _tm.Brightness);
    }

    [Fact]
    public void Seven_segment_mode_does_not_drive_the_decimal_point()
    {
        I2c.Write(_bus, 0x24, 0x09);
        Show(0x3F | 0x80);
        Assert.True(_tm.SevenSegmentMode);
        Assert.Equal("0   ", _tm.RenderText());
    }

    [Fact]
    public void Bit_0_off_blanks_the_display_but_keeps_the_digits()
    {
        I2c.Write(_bus, 0x24, 0x01);
        Show(0x3F);
        I2c.Write(_bus, 0x24, 0x00);
        Assert.Equal("    ", _tm.RenderText());
        Assert.Equal(0x3F, _tm.Segments(0));
    }

    [Fact]
    public void The_ascii_art_draws_segments_on_three_lines()
    {
        I2c.Write(_bus, 0x24, 0x01);
        Show(0x7F, 0x06 | 0x80, 0x40, 0x3F);
        Assert.Equal(" _           _\n|_|   |  _  | |\n|_|   |.    |_|", _tm.RenderAsciiArt());
    }

    [Fact]
    public void Only_the_command_address_can_be_read_and_it_returns_the_key_code()
    {
        _tm.SetKeyCode(0x44);
        Assert.Equal(0x44, I2c.Read(_bus, 0x24, 1)[0]);
        Assert.Equal(I2cStatus.NoAcknowledgeAddress, _bus.Transfer(0x34, [I2cMessage.Read(new byte[1])]));
    }
}
