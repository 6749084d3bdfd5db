using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Simulation;

/// <summary>W25Q16JV behaviour per the Winbond datasheet.</summary>
public class SpiNorFlashTests
{
    private readonly TestClock _clock = new();
    private readonly SpiNorFlashDevice _flash;

    public SpiNorFlashTests()
    {
        _flash = new SpiNorFlashDevice("flash0", _clock.Clock, "w25q16");
    }

    private byte[] Exchange(params byte[] data)
    {
        var read = new byte[data.Length];
        Assert.Equal(SpiStatus.Ok, _flash.Transaction([SpiOperation.TransferBoth(data, read)], out _));
        return read;
    }

    private void Command(params byte[] data) => Assert.Equal(SpiStatus.Ok, _flash.Transaction([SpiOperation.WriteFrom(data)], out _));

    private byte Status() => Exchange(0x05, 0x00)[1];

    private byte[] Read(int address, int count)
    {
        var data = new byte[count];
        Assert.Equal(SpiStatus.Ok, _flash.Transaction(
            [SpiOperation.WriteFrom(new byte[] { 0x03, (byte)(address >> 16), (byte)(address >> 8), (byte)address }), SpiOperation.ReadInto(data)], out _));
        return data;
    }

    private void Program(int address, params byte[] data)
    {
        Command(0x06);
        Command([0x02, (byte)(address >> 16), (byte)(address >> 8), (byte)address, .. data]);
        _clock.AdvanceMs(3);
    }

    [Fact]
    public void Jedec_id_is_winbond_w25q16()
    {
        Assert.Equal(new byte[] { 0xEF, 0x40, 0x15 }, Exchange(0x9F, 0, 0, 0)[1..]);
    }

    [Fact]
    public void Manufacturer_and_device_id_come_in_the_order_the_address_asks()
    {
        Assert.Equal(new byte[] { 0xEF, 0x14 }, Exchange(0x90, 0, 0, 0, 0, 0)[4..]);
        Assert.Equal(new byte[] { 0x14, 0xEF }, Exchange(0x90, 0, 0, 1, 0, 0)[4..]);
        Assert.Equal(0x14, Exchange(0xAB, 0, 0, 0, 0)[4]);
    }

    [Fact]
    public void A_new_part_is_erased()
    {
        Assert.All(Read(0, 64), b => Assert.Equal(0xFF, b));
        Assert.Equal(2 * 1024 * 1024, _flash.Capacity);
    }

    [Fact]
    public void Write_enable_sets_wel_and_write_disable_clears_it()
    {
        Assert.Equal(0x00, Status());
        Command(0x06);
        Assert.Equal(0x02, Status());
        Command(0x04);
        Assert.Equal(0x00, Status());
    }

    [Fact]
    public void Page_program_without_write_enable_is_ignored()
    {
        Command(0x02, 0, 0, 0, 0x12);
        Assert.Equal(0xFF, Read(0, 1)[0]);
    }

    [Fact]
    public void Page_program_writes_and_clears_wel_when_done()
    {
        Program(0x1234, 0xDE, 0xAD, 0xBE, 0xEF);
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, Read(0x1234, 4));
        Assert.Equal(0x00, Status());
    }

    [Fact]
    public void Programming_only_turns_ones_into_zeros()
    {
        Program(0, 0xF0);
        Program(0, 0x3C);
        Assert.Equal(0x30, Read(0, 1)[0]);
    }

    [Fact]
    public void Page_program_wraps_to_the_start_of_its_page()
    {
        Program(0x01FE, 1, 2, 3, 4);
        Assert.Equal(new byte[] { 1, 2 }, Read(0x01FE, 2));
        Assert.Equal(new byte[] { 3, 4 }, Read(0x0100, 2));
        Assert.Equal(0xFF, Read(0x0200, 1)[0]);
    }

    [Fact]
    public void While_busy_only_the_status_register_answers()
    {
        Command(0x06);
        Command(0x20, 0, 0, 0); // sector erase: 45 ms typical
        Assert.Equal(0x03, Status()); // BUSY and WEL
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF }, Exchange(0x9F, 0, 0, 0)[1..]);
        Command(0x06);
        _clock.AdvanceMs(44);
        Assert.Equal(0x01, Status() & 0x01);
        _clock.AdvanceMs(1);
        Assert.Equal(0x00, Status());
    }

    [Fact]
    public void Status_reads_repeat_while_chip_select_stays_low()
    {
        Command(0x06);
        Assert.Equal(new byte[] { 0x02, 0x02, 0x02 }, Exchange(0x05, 0, 0, 0)[1..]);
    }

    [Fact]
    public void Sector_erase_clears_exactly_its_four_kibibytes()
    {
        Program(0x0FFF, 0x00);
        Program(0x1000, 0x00);
        Program(0x1FFF, 0x00);
        Program(0x2000, 0x00);
        Command(0x06);
        Command(0x20, 0x00, 0x15, 0x55); // an address inside sector 1
        _clock.AdvanceMs(50);
        Assert.Equal(new byte[] { 0x00, 0xFF }, Read(0x0FFF, 2));
        Assert.Equal(new byte[] { 0xFF, 0x00 }, Read(0x1FFF, 2));
    }

    [Fact]
    public void An_erase_with_extra_bytes_is_not_executed()
    {
        Program(0, 0x00);
        Command(0x06);
        Command(0x20, 0, 0, 0, 0);
        Assert.Equal(0x00, Read(0, 1)[0]);
    }

    [Fact]
    public void Chip_erase_clears_everything()
    {
        Program(0, 0x00);
        Program(0x1FFFFF, 0x00);
        Command(0x06);
        Command(0xC7);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0xFF, Read(0, 1)[0]);
        Assert.Equal(0xFF, Read(0x1FFFFF, 1)[0]);
    }

    [Fact]
    public void A_read_wraps_at_the_end_of_the_array()
    {
        Program(0, 0x11);
        Program(0x1FFFFF, 0x22);
        Assert.Equal(new byte[] { 0x22, 0x11 }, Read(0x1FFFFF, 2));
    }

    [Fact]
    public void Fast_read_takes_a_dummy_byte()
    {
        Program(0x100, 0x5A);
        Assert.Equal(0x5A, Exchange(0x0B, 0x00, 0x01, 0x00, 0x00, 0x00)[5]);
    }

    [Fact]
    public void Power_down_ignores_everything_but_release()
    {
        Command(0xB9);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF }, Exchange(0x9F, 0, 0, 0)[1..]);
        Command(0xAB);
        Assert.Equal(0xEF, Exchange(0x9F, 0, 0, 0)[1]);
    }

    [Fact]
    public void Instant_timing_has_no_busy_time()
    {
        var flash = new SpiNorFlashDevice("fast", _clock.Clock, "w25q32", FlashTiming.Instant);
        flash.Transaction([SpiOperation.WriteFrom(new byte[] { 0x06 })], out _);
        flash.Transaction([SpiOperation.WriteFrom(new byte[] { 0xC7 })], out _);
        Assert.Equal(0x00, flash.Status);
        Assert.Equal(new byte[] { 0xEF, 0x40, 0x16 }, flash.JedecId);
    }

    [Fact]
    public void Unknown_models_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SpiNorFlashDevice("x", _clock.Clock, "w25q999"));
    }

    [Fact]
    public void A_transfer_whose_buffers_differ_in_length_is_a_frame_format_error()
    {
        Assert.Throws<ArgumentException>(() => SpiOperation.TransferBoth(new byte[2], new byte[1]));
    }
}

/// <summary>MCP3008 per the Microchip datasheet.</summary>
public class Mcp3008Tests
{
    private readonly TestClock _clock = new();
    private readonly Mcp3008Device _adc;

    public Mcp3008Tests()
    {
        _adc = new Mcp3008Device("adc0", _clock.Clock, referenceVolts: 3.3);
    }

    private byte[] Exchange(params byte[] data)
    {
        var read = new byte[data.Length];
        Assert.Equal(SpiStatus.Ok, _adc.Transaction([SpiOperation.TransferBoth(data, read)], out _));
        return read;
    }

    private int Convert(bool single, int channel)
    {
        byte[] r = Exchange(0x01, (byte)((single ? 0x80 : 0) | channel << 4), 0x00);
        return (r[1] & 0x03) << 8 | r[2];
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.65, 512)]
    [InlineData(3.3, 1023)]
    [InlineData(1.0, 310)] // 1024 * 1.0 / 3.3 = 310.3
    public void A_single_ended_conversion_is_1024_vin_over_vref(double volts, int code)
    {
        _adc.SetChannelVoltage(3, volts);
        Assert.Equal(code, Convert(single: true, 3));
    }

    [Fact]
    public void Each_channel_is_selected_by_d2_d1_d0()
    {
        for (int ch = 0; ch < 8; ch++) _adc.SetChannelCode(ch, 100 * ch + 7);
        for (int ch = 0; ch < 8; ch++) Assert.Equal(100 * ch + 7, Convert(single: true, ch));
    }

    [Fact]
    public void Differential_pairs_subtract_in_plus_minus_in_minus()
    {
        _adc.SetChannelVoltage(2, 2.0);
        _adc.SetChannelVoltage(3, 0.5);
        Assert.Equal((int)(1024 * 1.5 / 3.3), Convert(single: false, 2)); // CH2+ CH3-
        Assert.Equal(0, Convert(single: false, 3)); // CH2- CH3+: negative reads 0
    }

    [Fact]
    public void The_reply_has_high_impedance_bits_a_null_bit_then_b9_b8()
    {
        _adc.SetChannelCode(0, 1023);
        byte[] r = Exchange(0x01, 0x80, 0x00);
        Assert.Equal(0xFF, r[0]);
        Assert.Equal(0b1111_1011, r[1]); // hi-Z (read as 1) x5, null bit 0, B9, B8
        Assert.Equal(0xFF, r[2]);
    }

    [Fact]
    public void Leading_zeros_before_the_start_bit_are_ignored()
    {
        _adc.SetChannelCode(5, 0x2A5);
        // Start bit as the 6th clock: 00000 1 SGL=1 D2=1 | D1=0 D0=1 000000
        byte[] r = Exchange(0b0000_0111, 0b0100_0000, 0, 0);
        // The start bit is clock 6; B9 is clock 6 + 7 = 13, B0 clock 22.
        int bits = r[0] << 24 | r[1] << 16 | r[2] << 8 | r[3];
        Assert.Equal(0x2A5, (bits >> (32 - 22)) & 0x3FF);
    }

    [Fact]
    public void With_the_clock_running_on_the_result_repeats_lsb_first()
    {
        _adc.SetChannelCode(0, 0b10_0000_0011);
        byte[] r = Exchange(0x01, 0x80, 0x00, 0x00, 0x00);
        int bits = r[1] << 24 | r[2] << 16 | r[3] << 8 | r[4];
        // After B0 (bit 31 - 15 = 16 of this word) come B1..B9.
        int lsbFirst = (bits >> 7) & 0x1FF;
        int expected = 0;
        for (int i = 1; i <= 9; i++) expected = expected << 1 | (0b10_0000_0011 >> i & 1);
        Assert.Equal(expected, lsbFirst);
    }

    [Fact]
    public void A_new_chip_select_starts_a_new_conversion()
    {
        _adc.SetChannelCode(1, 42);
        Exchange(0x01);
        Assert.Equal(42, Convert(single: true, 1));
    }
}
