using System.Text;

namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>A 16x2 character LCD with a Hitachi HD44780 controller behind a PCF8574 I2C
/// "backpack" (0x20-0x27, or 0x38-0x3F for the PCF8574A), wired the common way: P0 = RS,
/// P1 = R/W, P2 = E, P3 = backlight (high = on), P4..P7 = D4..D7; D0..D3 are not connected.
/// The PCF8574 part: each written byte sets the eight quasi-bidirectional pins; a read returns
/// the pin levels (a pin written high reads what drives it, a pin written low reads low). The
/// HD44780 part follows the Hitachi datasheet (ADE-207-272): it latches on the falling edge of E,
/// starts in 8-bit mode (so the 4-bit initialisation 0x3, 0x3, 0x3, 0x2 works from any state),
/// takes bytes high nibble first in 4-bit mode, and implements the instruction set of table 6
/// with DDRAM lines at 0x00-0x27 and 0x40-0x67 (0x00-0x4F in one-line mode), 64 bytes of CGRAM,
/// the busy flag for the execution times of table 6 (1.52 ms for clear and home, 37 µs
/// otherwise; with strict timing, writes while busy are lost) and character ROM A00.</summary>
public sealed class Hd44780LcdDevice : SimulatedI2cDevice, ISimulatedDisplay
{
    public const int Columns = 16, Rows = 2;
    internal const byte Rs = 0x01, Rw = 0x02, E = 0x04, Backlight = 0x08;
    internal static readonly TimeSpan ShortExecution = TimeSpan.FromMicroseconds(37), LongExecution = TimeSpan.FromMicroseconds(1520);

    private byte _latch = 0xFF; // PCF8574 outputs are high after power-on.
    // HD44780 state
    private bool _eightBit = true, _awaitingLowNibble;
    private byte _highNibble;
    private bool _twoLines, _font5x10;
    private bool _displayOn, _cursorOn, _blinkOn;
    private bool _increment = true, _shiftOnWrite;
    private int _shift; // display shift, in character positions (0..39 in two-line mode)
    private byte _address; // address counter
    private bool _addressingCgram;
    private readonly byte[] _ddram = new byte[80];
    private readonly byte[] _cgram = new byte[64];
    private TimeSpan _busyUntil;
    // A read in progress: the byte being output and which nibble is on D4..D7.
    private byte _readValue;
    private bool _readLowNibble;
    private bool _readPrepared;

    private readonly bool _strictTiming;

    // Strict timing ignores what is written while the busy flag is set, as the controller
    // does; it is off by default so that drivers that wait too little still show text (the
    // busy flag reads the same either way).
    internal Hd44780LcdDevice(string name, ushort address, SimulationClock clock, bool strictTiming = false) : base(name, address, clock)
    {
        _strictTiming = strictTiming;
        if (address is not ((>= 0x20 and <= 0x27) or (>= 0x38 and <= 0x3F)))
            throw new ArgumentException("a PCF8574 backpack answers on 0x20-0x27 (PCF8574) or 0x38-0x3F (PCF8574A)", nameof(address));
        // The internal reset circuit at power-on: clear display, 8-bit, one line, display off, increment.
        _ddram.AsSpan().Fill(0x20);
    }

    public override string Kind => "hd44780";

    public override string Description => "16x2 character LCD, HD44780 behind a PCF8574 I2C backpack";

    public bool BacklightOn { get { lock (Sync) return (_latch & Backlight) != 0; } }

    public bool DisplayOn { get { lock (Sync) return _displayOn; } }

    public bool CursorOn { get { lock (Sync) return _cursorOn; } }

    public bool BlinkOn { get { lock (Sync) return _blinkOn; } }

    /// <summary>Whether the controller has been switched to 4-bit transfers.</summary>
    public bool FourBitMode { get { lock (Sync) return !_eightBit; } }

    public bool TwoLineMode { get { lock (Sync) return _twoLines; } }

    /// <summary>Function set F: the 5x10 dot font (only meaningful in one-line mode).</summary>
    public bool Font5x10 { get { lock (Sync) return _font5x10; } }

    /// <summary>The address counter (DDRAM or CGRAM address).</summary>
    public int AddressCounter { get { lock (Sync) return _address; } }

    /// <summary>The display shift, in character positions.</summary>
    public int DisplayShift { get { lock (Sync) return _shift; } }

    /// <summary>The byte at DDRAM address <paramref name="address"/> (0x00-0x27, 0x40-0x67 in two-line mode).</summary>
    public byte ReadDdram(int address) { lock (Sync) return _ddram[DdramIndex((byte)address)]; }

    /// <summary>The 8 rows of custom character <paramref name="code"/> (0-7), 5 bits each.</summary>
    public byte[] ReadCgram(int code) { lock (Sync) return _cgram.AsSpan((code & 7) * 8, 8).ToArray(); }

    /// <summary>The two visible lines (16 characters each, blank while the display is off).</summary>
    public string[] VisibleLines()
    {
        lock (Sync)
        {
            var lines = new string[Rows];
            var text = new StringBuilder(Columns);
            for (int row = 0; row < Rows; row++)
            {
                text.Clear();
                for (int col = 0; col < Columns; col++)
                    text.Append(_displayOn && (row == 0 || _twoLines) ? CharacterRom.ToChar(_ddram[VisibleIndex(row, col)]) : ' ');
                lines[row] = text.ToString();
            }
            return lines;
        }
    }

    /// <summary>The screen as two lines of text.</summary>
    public string RenderText() => string.Join('\n', VisibleLines());

    /// <summary>The screen in a frame, with the backlight state and the cursor position.</summary>
    public string RenderFramed()
    {
        string[] lines = VisibleLines();
        bool backlight = BacklightOn;
        var sb = new StringBuilder();
        sb.Append('+').Append('-', Columns).Append("+ backlight ").Append(backlight ? "on" : "off").Append('\n');
        foreach (string line in lines) sb.Append('|').Append(line).Append("|\n");
        sb.Append('+').Append('-', Columns).Append('+');
        return sb.ToString();
    }

    // --- PCF8574 ---

    internal override bool OnStart(ushort address, bool read) => true;

    internal override bool OnWrite(byte value)
    {
        byte previous = _latch;
        _latch = value;
        bool eFell = (previous & E) != 0 && (value & E) == 0;
        bool eRose = (previous & E) == 0 && (value & E) != 0;
        if (eRose && (value & Rw) != 0) PrepareRead((value & Rs) != 0);
        if (eFell) Latch(previous);
        return true;
    }

    internal override byte OnRead()
    {
        byte pins = _latch;
        // While E is high with R/W high, the HD44780 drives D4..D7 with the current nibble.
        if ((_latch & (E | Rw)) == (E | Rw) && _readPrepared)
        {
            int nibble = _eightBit || !_readLowNibble ? _readValue >> 4 : _readValue & 0x0F;
            // Quasi-bidirectional: only pins written high can be pulled by the LCD.
            pins = (byte)((pins & 0x0F) | ((nibble << 4) & pins & 0xF0));
        }
        return pins;
    }

    internal override void OnStop() { }

    // --- HD44780 ---

    private void PrepareRead(bool rs)
    {
        if (_readPrepared && !_eightBit && _readLowNibble) return; // second nibble of the same byte
        bool busy = Clock.Elapsed < _busyUntil;
        _readValue = rs ? (_addressingCgram ? _cgram[_address & 0x3F] : _ddram[DdramIndex(_address)])
                        : (byte)((busy ? 0x80 : 0) | (_address & 0x7F));
        _readPrepared = true;
    }

    /// <summary>E went from high to low: the controller takes what the pins held while E was high.</summary>
    private void Latch(byte pins)
    {
        bool rs = (pins & Rs) != 0, read = (pins & Rw) != 0;
        byte nibble = (byte)(pins >> 4);
        if (read)
        {
            if (!_eightBit && !_readLowNibble)
            {
                _readLowNibble = true;
                return;
            }
            _readLowNibble = false;
            _readPrepared = false;
            if (rs) StepAddress(); // a data read moves the address counter like a write
            return;
        }
        _readPrepared = false;
        _readLowNibble = false;
        if (_strictTiming && Clock.Elapsed < _busyUntil) return;
        if (_eightBit)
        {
            // D0..D3 are not wired on the backpack; the controller sees them low.
            Execute(rs, (byte)(nibble << 4));
            return;
        }
        if (!_awaitingLowNibble)
        {
            _highNibble = nibble;
            _awaitingLowNibble = true;
            return;
        }
        _awaitingLowNibble = false;
        Execute(rs, (byte)((_highNibble << 4) | nibble));
    }

    private void Execute(bool rs, byte value)
    {
        TimeSpan execution = ShortExecution;
        if (rs)
        {
            if (_addressingCgram) _cgram[_address & 0x3F] = value;
            else
            {
                _ddram[DdramIndex(_address)] = value;
                if (_shiftOnWrite) ShiftDisplay(right: !_increment);
            }
            StepAddress();
            execution += TimeSpan.FromMicroseconds(4);
        }
        else if ((value & 0x80) != 0)
        {
            _address = (byte)(value & 0x7F);
            _addressingCgram = false;
        }
        else if ((value & 0x40) != 0)
        {
            _address = (byte)(value & 0x3F);
            _addressingCgram = true;
        }
        else if ((value & 0x20) != 0)
        {
            // Function set: DL (bit 4), N (bit 3), F (bit 2).
            bool eightBit = (value & 0x10) != 0;
            if (_eightBit && !eightBit) _awaitingLowNibble = false;
            _eightBit = eightBit;
            _twoLines = (value & 0x08) != 0;
            _font5x10 = (value & 0x04) != 0;
        }
        else if ((value & 0x10) != 0)
        {
            // Cursor or display shift: S/C (bit 3), R/L (bit 2).
            bool right = (value & 0x04) != 0;
            if ((value & 0x08) != 0) ShiftDisplay(right);
            else StepAddress(right);
        }
        else if ((value & 0x08) != 0)
        {
            _displayOn = (value & 0x04) != 0;
            _cursorOn = (value & 0x02) != 0;
            _blinkOn = (value & 0x01) != 0;
        }
        else if ((value & 0x04) != 0)
        {
            _increment = (value & 0x02) != 0;
            _shiftOnWrite = (value & 0x01) != 0;
        }
        else if ((value & 0x02) != 0)
        {
            _address = 0;
            _addressingCgram = false;
            _shift = 0;
            execution = LongExecution;
        }
        else if ((value & 0x01) != 0)
        {
            _ddram.AsSpan().Fill(0x20);
            _address = 0;
            _addressingCgram = false;
            _shift = 0;
            _increment = true;
            execution = LongExecution;
        }
        _busyUntil = Clock.Elapsed + execution;
    }

    private void StepAddress() => StepAddress(_increment);

    private void StepAddress(bool up)
    {
        if (_addressingCgram)
        {
            _address = (byte)((_address + (up ? 1 : -1)) & 0x3F);
            return;
        }
        if (_twoLines)
        {
            _address = (up, _address) switch
            {
                (true, 0x27) => 0x40,
                (true, 0x67) => 0x00,
                (false, 0x40) => 0x27,
                (false, 0x00) => 0x67,
                _ => (byte)((_address + (up ? 1 : -1)) & 0x7F),
            };
        }
        else
        {
            _address = (up, _address) switch
            {
                (true, 0x4F) => 0x00,
                (false, 0x00) => 0x4F,
                _ => (byte)((_address + (up ? 1 : -1)) & 0x7F),
            };
        }
    }

    private void ShiftDisplay(bool right)
    {
        int width = _twoLines ? 40 : 80;
        // Shifting the display right moves the text right, so the window starts one earlier.
        _shift = (_shift + (right ? width - 1 : 1)) % width;
    }

    private int DdramIndex(byte address)
    {
        if (_twoLines) return (address & 0x40) != 0 ? 40 + (address & 0x3F) % 40 : (address & 0x3F) % 40;
        return address % 80;
    }

    private int VisibleIndex(int row, int col)
    {
        if (!_twoLines) return (_shift + col) % 80;
        return row * 40 + (_shift + col) % 40;
    }
}
