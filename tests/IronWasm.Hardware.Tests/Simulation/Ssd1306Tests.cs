using System.Buffers.Binary;
using System.IO.Compression;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;
using IronWasm.Hardware.Simulation.Imaging;

namespace IronWasm.Hardware.Tests.Simulation;

/// <summary>SSD1306 per its datasheet, on a common 128x64 module.</summary>
public class Ssd1306Tests
{
    private const ushort Address = 0x3C;
    private readonly TestClock _clock = new();
    private readonly Ssd1306Device _oled;
    private readonly SimulatedI2cBus _bus;

    public Ssd1306Tests()
    {
        _oled = new Ssd1306Device("oled", Address, _clock.Clock);
        _bus = I2c.BusWith(_clock, _oled);
    }

    /// <summary>Commands in one transfer after control byte 0x00 (Co = 0, D/C# = 0).</summary>
    private void Commands(params byte[] commands) => Assert.Equal(I2cStatus.Ok, I2c.Write(_bus, Address, [0x00, .. commands]));

    /// <summary>Data in one transfer after control byte 0x40 (Co = 0, D/C# = 1).</summary>
    private void Data(params byte[] data) => Assert.Equal(I2cStatus.Ok, I2c.Write(_bus, Address, [0x40, .. data]));

    /// <summary>The init sequence of the common driver libraries for a 128x64 module.</summary>
    private void Init() => Commands(
        0xAE, 0xD5, 0x80, 0xA8, 0x3F, 0xD3, 0x00, 0x40, 0x8D, 0x14, 0x20, 0x00, 0xA1, 0xC8,
        0xDA, 0x12, 0x81, 0xCF, 0xD9, 0xF1, 0xDB, 0x40, 0xA4, 0xA6, 0xAF);

    [Fact]
    public void After_the_usual_init_gddram_column_0_page_0_bit_0_is_the_top_left_pixel()
    {
        Init();
        Commands(0x21, 0, 127, 0x22, 0, 7);
        Data(0x01);
        Assert.True(_oled.IsLit);
        Assert.True(_oled.PixelLit(0, 0));
        Assert.False(_oled.PixelLit(0, 1));
        Assert.False(_oled.PixelLit(1, 0));
    }

    [Fact]
    public void Bit_7_of_a_page_byte_is_its_bottom_row()
    {
        Init();
        Commands(0x22, 1, 7, 0x21, 10, 127);
        Data(0x80);
        Assert.True(_oled.PixelLit(10, 15));
    }

    [Fact]
    public void Without_the_charge_pump_the_panel_stays_dark()
    {
        Commands(0xAF, 0xA5); // display on, entire display on, but no 0x8D 0x14
        Assert.True(_oled.DisplayOn);
        Assert.False(_oled.IsLit);
        Assert.False(_oled.PixelLit(5, 5));
        Commands(0x8D, 0x14);
        Assert.True(_oled.PixelLit(5, 5));
    }

    [Fact]
    public void Display_off_blanks_the_panel()
    {
        Init();
        Commands(0xA5);
        Commands(0xAE);
        Assert.False(_oled.PixelLit(0, 0));
    }

    [Fact]
    public void Horizontal_addressing_wraps_within_the_column_and_page_window()
    {
        Init();
        Commands(0x21, 4, 5, 0x22, 2, 3); // columns 4..5, pages 2..3
        Data(0x11, 0x12, 0x13, 0x14);
        byte[] ram = _oled.ReadGddram();
        Assert.Equal(0x11, ram[2 * 128 + 4]);
        Assert.Equal(0x12, ram[2 * 128 + 5]);
        Assert.Equal(0x13, ram[3 * 128 + 4]);
        Assert.Equal(0x14, ram[3 * 128 + 5]);
        Assert.Equal((4, 2), _oled.Pointer); // back to the window's start
        Data(0x15);
        Assert.Equal(0x15, _oled.ReadGddram()[2 * 128 + 4]);
    }

    [Fact]
    public void Vertical_addressing_runs_down_the_pages_first()
    {
        Init();
        Commands(0x20, 0x01, 0x21, 0, 127, 0x22, 0, 1);
        Data(0xA1, 0xA2, 0xA3);
        byte[] ram = _oled.ReadGddram();
        Assert.Equal(0xA1, ram[0]);
        Assert.Equal(0xA2, ram[128]);
        Assert.Equal(0xA3, ram[1]);
    }

    [Fact]
    public void Page_addressing_sets_page_and_column_nibbles_and_wraps_within_the_page()
    {
        Init();
        Commands(0x20, 0x02, 0xB3, 0x0E, 0x17); // page 3, column 0x7E
        Data(0x01, 0x02, 0x03);
        byte[] ram = _oled.ReadGddram();
        Assert.Equal(0x01, ram[3 * 128 + 126]);
        Assert.Equal(0x02, ram[3 * 128 + 127]);
        Assert.Equal(0x03, ram[3 * 128 + 0]); // the page stays
        Assert.Equal((1, 3), _oled.Pointer);
    }

    [Fact]
    public void With_co_set_every_byte_has_its_own_control_byte()
    {
        Init();
        // 0x80 cmd, 0x80 cmd, 0xC0 data, 0x80 cmd ...
        Assert.Equal(I2cStatus.Ok, I2c.Write(_bus, Address, 0x80, 0xB0, 0x80, 0x00, 0x80, 0x10, 0xC0, 0xFF, 0x80, 0xA7));
        Assert.Equal(0xFF, _oled.ReadGddram()[0]);
        Assert.True(_oled.Inverse);
    }

    [Fact]
    public void A_command_argument_may_arrive_in_a_later_transfer()
    {
        Init();
        Commands(0x81);
        Commands(0x10);
        Assert.Equal(0x10, _oled.Contrast);
    }

    [Fact]
    public void Inverse_lights_the_zero_bits()
    {
        Init();
        Commands(0xA7);
        Assert.True(_oled.PixelLit(64, 32));
        Commands(0xA6);
        Assert.False(_oled.PixelLit(64, 32));
    }

    [Fact]
    public void Segment_remap_and_com_scan_direction_mirror_the_picture()
    {
        Init();
        Commands(0x21, 0, 127, 0x22, 0, 7);
        Data(0x01);
        Commands(0xA0); // column 0 now at the right
        Assert.True(_oled.PixelLit(127, 0));
        Commands(0xC0); // and row 0 at the bottom
        Assert.True(_oled.PixelLit(127, 63));
    }

    [Fact]
    public void Start_line_scrolls_the_picture_up()
    {
        Init();
        Commands(0x22, 1, 7, 0x21, 0, 127);
        Data(0x01); // RAM row 8
        Commands(0x40 | 8);
        Assert.True(_oled.PixelLit(0, 0));
    }

    [Fact]
    public void The_sequential_com_configuration_interleaves_the_rows_of_this_panel()
    {
        Init();
        Commands(0x21, 0, 127, 0x22, 0, 7);
        Data(0x02); // RAM row 1
        Assert.True(_oled.PixelLit(0, 1));
        Commands(0xDA, 0x02);
        Assert.False(_oled.PixelLit(0, 1));
        Assert.True(_oled.PixelLit(0, 2));
    }

    [Fact]
    public void A_read_returns_the_status_byte_with_display_off_in_bit_6()
    {
        Assert.Equal(0x40, I2c.Read(_bus, Address, 1)[0]);
        Init();
        Assert.Equal(0x00, I2c.Read(_bus, Address, 1)[0]);
    }

    [Fact]
    public void The_png_has_ihdr_idat_iend_with_valid_crcs_and_the_visible_pixels()
    {
        Init();
        Commands(0x21, 0, 127, 0x22, 0, 7);
        Data(0x01, 0x00, 0x80);
        using var stream = new MemoryStream();
        _oled.WritePng(stream, scale: 2);
        byte[] png = stream.ToArray();

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = new List<(string Type, byte[] Data)>();
        int at = 8;
        while (at < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            byte[] data = png.AsSpan(at + 8, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.Equal(Crc32.Compute(png.AsSpan(at + 4, 4 + length)), crc);
            chunks.Add((type, data));
            at += 12 + length;
        }
        Assert.Equal(new[] { "IHDR", "IDAT", "IEND" }, chunks.Select(c => c.Type));
        byte[] ihdr = chunks[0].Data;
        Assert.Equal(256, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(128, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(new byte[] { 8, 0, 0, 0, 0 }, ihdr[8..]);

        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress)) zlib.CopyTo(inflated);
        byte[] raw = inflated.ToArray();
        Assert.Equal(128 * (1 + 256), raw.Length);
        byte Pixel(int x, int y) => raw[y * 257 + 1 + x];
        Assert.All(Enumerable.Range(0, 128), y => Assert.Equal(0, raw[y * 257])); // filter type 0
        Assert.NotEqual(0, Pixel(0, 0));
        Assert.NotEqual(0, Pixel(1, 1));
        Assert.Equal(0, Pixel(2, 0));
        Assert.NotEqual(0, Pixel(4, 14)); // column 2, row 7
        Assert.Equal(0, Pixel(4, 0));
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0xAE426082u, Crc32.Compute("IEND"u8));
    }

    [Fact]
    public void Save_png_writes_a_file()
    {
        Init();
        string path = Path.Combine(Path.GetTempPath(), $"sim-oled-{Guid.NewGuid():N}.png");
        try
        {
            _oled.SavePng(path);
            Assert.Equal(0x89, File.ReadAllBytes(path)[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_text_renderings_show_lit_areas()
    {
        Init();
        Commands(0x21, 0, 1, 0x22, 0, 0);
        Data(0x0F, 0x0F);
        string coarse = _oled.RenderText(), braille = _oled.RenderBraille();
        Assert.Equal(16, coarse.Split('\n').Length);
        Assert.Equal(64, coarse.Split('\n')[0].Length);
        Assert.Equal('#', coarse[0]);
        Assert.Equal(' ', coarse[1]);
        Assert.Equal('\u28FF', braille[0]); // all 8 dots
    }

    [Fact]
    public void Multiplex_ratio_limits_the_rows_shown()
    {
        Init();
        Commands(0xA5);
        Assert.Equal(64, Enumerable.Range(0, 64).Count(y => _oled.PixelLit(0, y)));
        Commands(0xA8, 31);
        Assert.Equal(32, Enumerable.Range(0, 64).Count(y => _oled.PixelLit(0, y)));
        Commands(0xA8, 14); // below 15 is invalid and ignored
        Assert.Equal(32, Enumerable.Range(0, 64).Count(y => _oled.PixelLit(0, y)));
    }
}
