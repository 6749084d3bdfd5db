using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Simulation;

/// <summary>HD44780 behind a PCF8574 (P0 RS, P1 RW, P2 E, P3 backlight, P4..P7 D4..D7), per the Hitachi datasheet.</summary>
public class Hd44780LcdTests
{
    private const ushort Address = 0x27;
    private const byte Rs = 0x01, Rw = 0x02, E = 0x04, Backlight = 0x08;
    private readonly TestClock _clock = new();
    private readonly Hd44780LcdDevice _lcd;
    private readonly SimulatedI2cBus _bus;
    private byte _backlight = Backlight;

    public Hd44780LcdTests()
    {
        _lcd = new Hd44780LcdDevice("lcd", Address, _clock.Clock);
        _bus = I2c.BusWith(_clock, _lcd);
    }

    private void Pins(byte value) => Assert.Equal(I2cStatus.Ok, I2c.Write(_bus, Address, value));

    private void Nibble(int nibble, bool rs = false)
    {
        byte pins = (byte)((nibble << 4) | _backlight | (rs ? Rs : 0));
        Pins((byte)(pins | E));
        Pins(pins); // falling edge of E latches
    }

    private void Send(int value, bool rs = false)
    {
        Nibble(value >> 4, rs);
        Nibble(value & 0x0F, rs);
        _clock.AdvanceMs(2);
    }

    private void Init()
    {
        Nibble(0x3); Nibble(0x3); Nibble(0x3); Nibble(0x2);
        Send(0x28); // 4-bit, two lines, 5x8
        Send(0x0C); // display on, cursor off
        Send(0x06); // increment, no shift
        Send(0x01); // clear
    }

    private void Print(string text)
    {
        foreach (char c in text) Send(c, rs: true);
    }

    [Fact]
    public void The_four_bit_initialisation_and_text_show_on_the_first_line()
    {
        Init();
        Print("Hello, world");
        Assert.True(_lcd.FourBitMode);
        Assert.True(_lcd.TwoLineMode);
        Assert.Equal("Hello, world    \n                ", _lcd.RenderText());
    }

    [Fact]
    public void Ddram_address_0x40_starts_the_second_line()
    {
        Init();
        Print("Temp");
        Send(0x80 | 0x40);
        Print("21.5" + (char)0xDF + "C");
        Assert.Equal(new[] { "Temp            ", "21.5°C          " }, _lcd.VisibleLines());
    }

    [Fact]
    public void The_initialisation_recovers_from_a_half_sent_byte()
    {
        Init();
        Nibble(0x4, rs: true); // a stray high nibble: the controller now waits for a low one
        Init();
        Print("OK");
        Assert.StartsWith("OK", _lcd.RenderText());
    }

    [Fact]
    public void Before_initialisation_the_display_is_off_and_blank()
    {
        Assert.False(_lcd.DisplayOn);
        Assert.Equal(new string(' ', 16) + "\n" + new string(' ', 16), _lcd.RenderText());
    }

    [Fact]
    public void In_eight_bit_mode_each_e_pulse_is_a_whole_instruction()
    {
        // Sent as nibbles before the switch to 4-bit, "display on" (0x0C) arrives as two
        // instructions: 0x00 (nothing) and 0xC0 (set DDRAM address 0x40).
        Nibble(0x0);
        Nibble(0xC);
        Assert.False(_lcd.DisplayOn);
        Assert.Equal(0x40, _lcd.AddressCounter);
        Nibble(0x2);
        Assert.True(_lcd.FourBitMode);
    }

    [Fact]
    public void Clear_blanks_the_display_and_homes_the_address()
    {
        Init();
        Print("xyz");
        Send(0x01);
        Assert.Equal(0, _lcd.AddressCounter);
        Assert.Equal(new string(' ', 16), _lcd.VisibleLines()[0]);
    }

    [Fact]
    public void Home_resets_address_and_shift_but_keeps_the_text()
    {
        Init();
        Print("abc");
        Send(0x18); // shift display left
        Send(0x02);
        Assert.Equal(0, _lcd.AddressCounter);
        Assert.Equal(0, _lcd.DisplayShift);
        Assert.StartsWith("abc", _lcd.VisibleLines()[0]);
    }

    [Fact]
    public void Entry_mode_decrement_writes_right_to_left()
    {
        Init();
        Send(0x04); // decrement, no shift
        Send(0x80 | 0x05);
        Print("abc");
        Assert.StartsWith("   cba", _lcd.VisibleLines()[0]);
        Assert.Equal(0x02, _lcd.AddressCounter);
    }

    [Fact]
    public void Display_off_hides_the_text_and_on_shows_it_again()
    {
        Init();
        Print("hidden");
        Send(0x08);
        Assert.Equal(new string(' ', 16), _lcd.VisibleLines()[0]);
        Send(0x0F);
        Assert.StartsWith("hidden", _lcd.VisibleLines()[0]);
        Assert.True(_lcd.CursorOn);
        Assert.True(_lcd.BlinkOn);
    }

    [Fact]
    public void P3_is_the_backlight()
    {
        Init();
        Assert.True(_lcd.BacklightOn);
        _backlight = 0;
        Send(0x0C);
        Assert.False(_lcd.BacklightOn);
        Assert.Contains("backlight off", _lcd.RenderFramed());
    }

    [Fact]
    public void A_display_shift_moves_both_lines_within_forty_characters()
    {
        Init();
        Print("0123456789");
        Send(0xC0);
        Print("abcdefghij");
        Send(0x18); // display shift left
        Send(0x18);
        Assert.StartsWith("23456789", _lcd.VisibleLines()[0]);
        Assert.StartsWith("cdefghij", _lcd.VisibleLines()[1]);
        Send(0x1C); // shift right
        Assert.StartsWith("123456789", _lcd.VisibleLines()[0]);
    }

    [Fact]
    public void A_cursor_shift_moves_the_address_counter()
    {
        Init();
        Send(0x14); // cursor right
        Send(0x14);
        Assert.Equal(2, _lcd.AddressCounter);
        Send(0x10); // cursor left
        Assert.Equal(1, _lcd.AddressCounter);
    }

    [Fact]
    public void The_address_counter_jumps_from_0x27_to_0x40_in_two_line_mode()
    {
        Init();
        Send(0x80 | 0x27);
        Print("xy");
        Assert.Equal(0x41, _lcd.AddressCounter);
        Assert.Equal((byte)'y', _lcd.ReadDdram(0x40));
    }

    [Fact]
    public void Entry_mode_shift_keeps_the_cursor_in_place_on_screen()
    {
        Init();
        Send(0x07); // increment and shift
        Send(0x80 | 0x10);
        Print("ab");
        Assert.Equal(2, _lcd.DisplayShift);
        Assert.EndsWith("ab", _lcd.VisibleLines()[0]);
    }

    [Fact]
    public void Cgram_holds_custom_characters()
    {
        Init();
        Send(0x40 | 0x08); // CGRAM address of character 1
        foreach (byte row in new byte[] { 0x0E, 0x11, 0x11, 0x11, 0x1F, 0x1B, 0x1B, 0x1F }) Send(row, rs: true);
        Assert.Equal(new byte[] { 0x0E, 0x11, 0x11, 0x11, 0x1F, 0x1B, 0x1B, 0x1F }, _lcd.ReadCgram(1));
        Send(0x80);
        Send(0x01, rs: true);
        Assert.Equal('▒', _lcd.VisibleLines()[0][0]);
    }

    [Fact]
    public void Character_rom_a00_differs_from_ascii_at_0x5c_and_0x7e()
    {
        Init();
        Send(0x5C, rs: true);
        Send(0x7E, rs: true);
        Assert.StartsWith("¥→", _lcd.VisibleLines()[0]);
    }

    [Fact]
    public void The_busy_flag_and_address_are_read_through_the_expander()
    {
        Init();
        Nibble(0x0); Nibble(0x1); // clear, and read at once
        int high = ReadNibble(rs: false);
        ReadNibble(rs: false);
        Assert.Equal(0x8, high & 0x8); // BF is set for the 1.52 ms clear takes
        _clock.AdvanceMs(2);
        Send(0x80 | 0x45);
        high = ReadNibble(rs: false);
        int low = ReadNibble(rs: false);
        Assert.Equal(0x45, (high << 4) | low); // BF clear, AC = 0x45
    }

    [Fact]
    public void Data_reads_return_ddram_and_advance_the_address()
    {
        Init();
        Print("Hi");
        Send(0x80);
        int h = ReadNibble(rs: true), l = ReadNibble(rs: true);
        Assert.Equal('H', (char)((h << 4) | l));
        Assert.Equal(1, _lcd.AddressCounter);
    }

    private int ReadNibble(bool rs)
    {
        byte pins = (byte)(0xF0 | _backlight | Rw | (rs ? Rs : 0)); // D4..D7 high: inputs
        Pins(pins);
        Pins((byte)(pins | E));
        byte read = I2c.Read(_bus, Address, 1)[0];
        Pins(pins);
        return read >> 4;
    }

    [Fact]
    public void Several_pin_states_can_go_in_one_transfer()
    {
        Init();
        byte pins = (byte)(('Z' >> 4) << 4 | Backlight | Rs), pins2 = (byte)(('Z' & 0xF) << 4 | Backlight | Rs);
        Assert.Equal(I2cStatus.Ok, I2c.Write(_bus, Address, (byte)(pins | E), pins, (byte)(pins2 | E), pins2));
        Assert.StartsWith("Z", _lcd.VisibleLines()[0]);
    }

    [Fact]
    public void The_backpack_answers_on_pcf8574_addresses_only()
    {
        _ = new Hd44780LcdDevice("a", 0x3F, _clock.Clock);
        Assert.Throws<ArgumentException>(() => new Hd44780LcdDevice("b", 0x50, _clock.Clock));
    }

    [Fact]
    public void With_strict_timing_a_write_during_a_clear_is_lost()
    {
        var lcd = new Hd44780LcdDevice("strict", 0x26, _clock.Clock, strictTiming: true);
        _bus.Attach(lcd);
        void Nib(int n, bool rs = false)
        {
            byte pins = (byte)((n << 4) | Backlight | (rs ? Rs : 0));
            I2c.Write(_bus, 0x26, (byte)(pins | E), pins);
        }
        void Byte(int v, bool rs = false) { Nib(v >> 4, rs); Nib(v & 0x0F, rs); _clock.AdvanceMs(0.05); }
        foreach (int n in new[] { 3, 3, 3, 2 }) { Nib(n); _clock.AdvanceMs(5); }
        Byte(0x28); Byte(0x0C); Byte(0x06);
        Byte(0x01); // clear: busy for 1.52 ms
        Byte('A', rs: true); // lost
        _clock.AdvanceMs(2);
        Byte('B', rs: true);
        Assert.StartsWith("B ", lcd.VisibleLines()[0]);
    }
}
