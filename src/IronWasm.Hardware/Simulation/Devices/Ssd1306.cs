using System.Text;
using IronWasm.Hardware.Simulation.Imaging;

namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>Solomon Systech SSD1306 OLED controller with a 128x64 panel on I2C (0x3C with SA0
/// low, 0x3D with SA0 high). Follows the SSD1306 datasheet: after the address, a control byte
/// (Co bit 7: another control byte follows the next byte; D/C# bit 6: data or command); the
/// command table of section 9 with each command's argument bytes; 1024 bytes of GDDRAM as 8
/// pages of 128 columns, bit 0 the top row of a page; page, horizontal and vertical addressing
/// modes (10.1.3, with 0x21/0x22 ranges and wrap rules); start line, segment remap, COM scan
/// direction, multiplex ratio, display offset, COM pins configuration, inverse and entire-on;
/// and the charge pump (0x8D): with the internal charge pump off the panel gets no drive voltage
/// and stays dark. The panel is mounted as on the common 0.96" modules: segment remap (0xA1) and
/// reversed COM scan (0xC8) show GDDRAM column 0, page 0 bit 0 at the top left; it is wired for
/// the alternative COM pin configuration (0xDA 0x12), so the sequential one shows every other
/// line. Scrolling commands are accepted and remembered but not animated.</summary>
public sealed class Ssd1306Device : SimulatedI2cDevice, ISimulatedDisplay
{
    public const int Width = 128, Height = 64, Pages = 8;

    private readonly byte[] _gddram = new byte[Width * Pages];
    // Control byte state for the current message.
    private bool _expectControl, _continuation, _dataMode;
    // Command parser
    private byte _command;
    private int _argumentsNeeded, _argumentCount;
    private readonly byte[] _arguments = new byte[6];
    // Registers (reset values from the command table)
    private bool _displayOn, _inverse, _entireOn, _segmentRemap, _comRemap, _chargePump, _scrolling;
    private byte _contrast = 0x7F, _addressingMode = 2, _multiplex = 63, _displayOffset, _comPins = 0x12, _clock = 0x80, _precharge = 0x22, _vcomh = 0x20;
    private int _startLine;
    private int _columnStart, _columnEnd = Width - 1, _pageStart, _pageEnd = Pages - 1;
    private int _column, _page;
    private readonly bool _externalVcc;

    internal Ssd1306Device(string name, ushort address, SimulationClock clock, bool externalVcc = false) : base(name, address, clock)
    {
        if (address is not (0x3C or 0x3D)) throw new ArgumentException("the SSD1306 answers on 0x3c (SA0 low) or 0x3d (SA0 high)", nameof(address));
        _externalVcc = externalVcc;
    }

    public override string Kind => "ssd1306";

    public override string Description => "128x64 OLED display, SSD1306";

    public bool DisplayOn { get { lock (Sync) return _displayOn; } }

    public bool ChargePumpOn { get { lock (Sync) return _chargePump; } }

    /// <summary>Whether the panel lights at all: display on, and a drive voltage (charge pump or external VCC).</summary>
    public bool IsLit { get { lock (Sync) return Lit; } }

    public byte Contrast { get { lock (Sync) return _contrast; } }

    public bool Inverse { get { lock (Sync) return _inverse; } }

    /// <summary>0 horizontal, 1 vertical, 2 page addressing.</summary>
    public int AddressingMode { get { lock (Sync) return _addressingMode; } }

    /// <summary>The GDDRAM pointer: (column, page).</summary>
    public (int Column, int Page) Pointer { get { lock (Sync) return (_column, _page); } }

    public bool ScrollActive { get { lock (Sync) return _scrolling; } }

    /// <summary>A copy of the 1024 bytes of GDDRAM (page 0 columns 0..127, then page 1, ...).</summary>
    public byte[] ReadGddram() { lock (Sync) return (byte[])_gddram.Clone(); }

    private bool Lit => _displayOn && (_chargePump || _externalVcc);

    /// <summary>Whether the pixel at panel position (<paramref name="x"/>, <paramref name="y"/>), top left (0, 0), is lit.</summary>
    public bool PixelLit(int x, int y)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)x, (uint)Width, nameof(x));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)y, (uint)Height, nameof(y));
        lock (Sync) return PixelLocked(x, y);
    }

    private bool PixelLocked(int x, int y)
    {
        if (!Lit) return false;
        int mux = _multiplex + 1;
        // The COM pin wired to panel row y, for a panel built for the alternative pin configuration.
        int com = 63 - y;
        if ((_comPins & 0x10) == 0) com = 63 - ((y & 1) == 0 ? y / 2 : 32 + y / 2);
        if ((_comPins & 0x20) != 0) com ^= 32;
        if (com >= mux) return false;
        int row = _comRemap ? mux - 1 - com : com;
        if (_entireOn) return true;
        int ramRow = (row + _startLine + _displayOffset) & 63;
        int segment = Width - 1 - x;
        int column = _segmentRemap ? Width - 1 - segment : segment;
        bool on = (_gddram[(ramRow >> 3) * Width + column] >> (ramRow & 7) & 1) != 0;
        return on != _inverse;
    }

    /// <summary>The visible image as one byte per pixel (0 dark, otherwise the lit brightness).</summary>
    public byte[] RenderGrayscale(int scale = 1)
    {
        if (scale is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale is 1 to 16");
        int w = Width * scale;
        var pixels = new byte[w * Height * scale];
        lock (Sync)
        {
            // Contrast dims but never blanks an OLED; keep the darkest lit level visible.
            byte level = (byte)(96 + _contrast * 159 / 255);
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < Width; x++)
                {
                    if (!PixelLocked(x, y)) continue;
                    for (int dy = 0; dy < scale; dy++)
                        pixels.AsSpan((y * scale + dy) * w + x * scale, scale).Fill(level);
                }
        }
        return pixels;
    }

    /// <summary>Writes the visible image as a PNG, each pixel <paramref name="scale"/> × <paramref name="scale"/>.</summary>
    public void WritePng(Stream output, int scale = 4)
    {
        byte[] pixels = RenderGrayscale(scale);
        PngEncoder.WriteGrayscale(output, Width * scale, Height * scale, pixels);
    }

    /// <summary>Saves the visible image as a PNG file.</summary>
    public void SavePng(string path, int scale = 4)
    {
        using var file = File.Create(path);
        WritePng(file, scale);
    }

    /// <summary>A coarse 64x16 text picture: each character covers 2x4 pixels, drawn by how many are lit.</summary>
    public string RenderText()
    {
        const string shades = " .:+#";
        var sb = new StringBuilder(65 * 16);
        lock (Sync)
        {
            for (int cy = 0; cy < Height / 4; cy++)
            {
                if (cy > 0) sb.Append('\n');
                for (int cx = 0; cx < Width / 2; cx++)
                {
                    int count = 0;
                    for (int dy = 0; dy < 4; dy++)
                        for (int dx = 0; dx < 2; dx++)
                            if (PixelLocked(cx * 2 + dx, cy * 4 + dy)) count++;
                    sb.Append(shades[(count + 1) / 2]);
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>An exact picture in Unicode braille (each character is 2x4 pixels): 64 columns, 16 lines.</summary>
    public string RenderBraille()
    {
        // Braille dot numbering: bits 0,1,2,6 the left column top to bottom, 3,4,5,7 the right.
        ReadOnlySpan<int> left = [0x01, 0x02, 0x04, 0x40];
        ReadOnlySpan<int> right = [0x08, 0x10, 0x20, 0x80];
        var sb = new StringBuilder(65 * 16);
        lock (Sync)
        {
            for (int cy = 0; cy < Height / 4; cy++)
            {
                if (cy > 0) sb.Append('\n');
                for (int cx = 0; cx < Width / 2; cx++)
                {
                    int dots = 0;
                    for (int dy = 0; dy < 4; dy++)
                    {
                        if (PixelLocked(cx * 2, cy * 4 + dy)) dots |= left[dy];
                        if (PixelLocked(cx * 2 + 1, cy * 4 + dy)) dots |= right[dy];
                    }
                    sb.Append((char)(0x2800 + dots));
                }
            }
        }
        return sb.ToString();
    }

    internal override bool OnStart(ushort address, bool read)
    {
        _expectControl = !read;
        return true;
    }

    internal override bool OnWrite(byte value)
    {
        if (_expectControl)
        {
            _continuation = (value & 0x80) != 0;
            _dataMode = (value & 0x40) != 0;
            _expectControl = false;
            return true;
        }
        if (_dataMode) WriteData(value);
        else Command(value);
        // Co = 1: the byte after this data or command byte is again a control byte.
        if (_continuation) _expectControl = true;
        return true;
    }

    /// <summary>In I2C mode a read returns the status byte: D6 is 1 while the display is off.</summary>
    internal override byte OnRead() => (byte)(_displayOn ? 0x00 : 0x40);

    internal override void OnStop() { }

    private void WriteData(byte value)
    {
        _gddram[_page * Width + _column] = value;
        switch (_addressingMode)
        {
            case 0: // horizontal
                if (++_column > _columnEnd)
                {
                    _column = _columnStart;
                    if (++_page > _pageEnd) _page = _pageStart;
                }
                break;
            case 1: // vertical
                if (++_page > _pageEnd)
                {
                    _page = _pageStart;
                    if (++_column > _columnEnd) _column = _columnStart;
                }
                break;
            default: // page: the column wraps, the page stays
                _column = (_column + 1) % Width;
                break;
        }
    }

    private static int ArgumentCount(byte command) => command switch
    {
        0x81 or 0x8D or 0x20 or 0xA8 or 0xD3 or 0xD5 or 0xD9 or 0xDA or 0xDB => 1,
        0x21 or 0x22 or 0xA3 => 2,
        0x29 or 0x2A => 5,
        0x26 or 0x27 => 6,
        _ => 0,
    };

    private void Command(byte value)
    {
        if (_argumentsNeeded > 0)
        {
            _arguments[_argumentCount++] = value;
            if (_argumentCount == _argumentsNeeded)
            {
                _argumentsNeeded = 0;
                ExecuteWithArguments(_command, _arguments.AsSpan(0, _argumentCount));
            }
            return;
        }
        int needed = ArgumentCount(value);
        if (needed > 0)
        {
            _command = value;
            _argumentsNeeded = needed;
            _argumentCount = 0;
            return;
        }
        switch (value)
        {
            case <= 0x0F: // lower column start nibble (page addressing)
                _column = (_column & 0xF0) | value;
                break;
            case <= 0x1F: // higher column start nibble (page addressing)
                _column = ((value & 0x07) << 4) | (_column & 0x0F);
                break;
            case 0x2E: _scrolling = false; break;
            case 0x2F: _scrolling = true; break;
            case >= 0x40 and <= 0x7F: _startLine = value & 0x3F; break;
            case 0xA0: _segmentRemap = false; break;
            case 0xA1: _segmentRemap = true; break;
            case 0xA4: _entireOn = false; break;
            case 0xA5: _entireOn = true; break;
            case 0xA6: _inverse = false; break;
            case 0xA7: _inverse = true; break;
            case 0xAE: _displayOn = false; break;
            case 0xAF: _displayOn = true; break;
            case >= 0xB0 and <= 0xB7: _page = value & 0x07; break;
            case >= 0xC0 and <= 0xCF: _comRemap = (value & 0x08) != 0; break;
            default: break; // 0xE3 NOP, and bytes that are no command
        }
    }

    private void ExecuteWithArguments(byte command, ReadOnlySpan<byte> a)
    {
        switch (command)
        {
            case 0x81: _contrast = a[0]; break;
            case 0x8D: _chargePump = (a[0] & 0x04) != 0; break;
            case 0x20:
                // 11b is invalid and leaves the mode as it was.
                if ((a[0] & 0x03) != 3) _addressingMode = (byte)(a[0] & 0x03);
                break;
            case 0x21:
                _columnStart = a[0] & 0x7F;
                _columnEnd = a[1] & 0x7F;
                _column = _columnStart;
                break;
            case 0x22:
                _pageStart = a[0] & 0x07;
                _pageEnd = a[1] & 0x07;
                _page = _pageStart;
                break;
            case 0xA8:
                // 0 to 14 are invalid values.
                if ((a[0] & 0x3F) >= 15) _multiplex = (byte)(a[0] & 0x3F);
                break;
            case 0xD3: _displayOffset = (byte)(a[0] & 0x3F); break;
            case 0xD5: _clock = a[0]; break;
            case 0xD9: _precharge = a[0]; break;
            case 0xDA: _comPins = (byte)(a[0] & 0x32); break;
            case 0xDB: _vcomh = (byte)(a[0] & 0x70); break;
            case 0x26 or 0x27 or 0x29 or 0x2A or 0xA3: _scrolling = false; break; // setting up a scroll requires it stopped
        }
    }

    /// <summary>Timing and drive settings a driver sends that do not change the picture.</summary>
    public (byte ClockDivide, byte Precharge, byte VcomhDeselect, byte Multiplex, byte DisplayOffset, byte ComPins, int StartLine) Settings
    {
        get { lock (Sync) return (_clock, _precharge, _vcomh, _multiplex, _displayOffset, _comPins, _startLine); }
    }
}
