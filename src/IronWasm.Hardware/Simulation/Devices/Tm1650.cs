using System.Text;

namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>Titan Micro TM1650 LED driver with a 4-digit 7-segment display. The TM1650 speaks a
/// two-byte I2C-like protocol whose first byte is a command; on an I2C bus the commands look
/// like 7-bit addresses: 0x48 (system/display command) is address 0x24, and 0x68, 0x6A, 0x6C,
/// 0x6E (digit registers DIG1..DIG4) are addresses 0x34..0x37; reading 0x49 (address 0x24)
/// returns the key scan code. Display command byte (TM1650 datasheet): bit 0 display on,
/// bit 3 7-segment mode (segment DP not driven), bits 6:4 brightness (000 = level 8,
/// 001..111 = levels 1..7). Segment byte: bit 0 = a ... bit 6 = g, bit 7 = DP.
/// After power-on the display is off and the digit registers are 0.</summary>
public sealed class Tm1650Device : SimulatedI2cDevice, ISimulatedDisplay
{
    public const ushort CommandAddress = 0x24, FirstDigitAddress = 0x34;
    public const int Digits = 4;

    private readonly byte[] _segments = new byte[Digits];
    private byte _control;
    private ushort _current;
    private bool _read;
    private byte _keyCode;

    internal Tm1650Device(string name, ushort address, SimulationClock clock) : base(name, address, clock)
    {
        if (address != CommandAddress) throw new ArgumentException($"the TM1650 answers on 0x{CommandAddress:x2} (command) and 0x34-0x37 (digits)", nameof(address));
    }

    public override string Kind => "tm1650";

    public override string Description => "4-digit 7-segment LED display, TM1650 (0x24 command, 0x34-0x37 digits)";

    public override IReadOnlyList<ushort> Addresses => [CommandAddress, 0x34, 0x35, 0x36, 0x37];

    public bool DisplayOn { get { lock (Sync) return (_control & 0x01) != 0; } }

    /// <summary>Brightness level 1 (dimmest) to 8 (brightest).</summary>
    public int Brightness { get { lock (Sync) return ((_control >> 4) & 0x07) is 0 ? 8 : (_control >> 4) & 0x07; } }

    /// <summary>7-segment mode: the DP segment is not driven.</summary>
    public bool SevenSegmentMode { get { lock (Sync) return (_control & 0x08) != 0; } }

    /// <summary>The segment byte of digit <paramref name="digit"/> (0 = leftmost).</summary>
    public byte Segments(int digit) { lock (Sync) return _segments[digit]; }

    /// <summary>The key scan code the next read of 0x24 returns (the keys are not modelled further).</summary>
    public void SetKeyCode(byte code) { lock (Sync) _keyCode = code; }

    /// <summary>The digits decoded to characters, a '.' after a digit whose DP is lit; blanks while off.</summary>
    public string RenderText()
    {
        lock (Sync)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < Digits; i++)
            {
                byte s = VisibleSegments(i);
                sb.Append(SevenSegment.Decode(s));
                if ((s & 0x80) != 0) sb.Append('.');
            }
            return sb.ToString();
        }
    }

    /// <summary>Three lines of segment art: " _ " / "|_|" / "|_|" per digit, DP as '.'.</summary>
    public string RenderAsciiArt()
    {
        lock (Sync)
        {
            var lines = new StringBuilder[3] { new(), new(), new() };
            for (int i = 0; i < Digits; i++)
            {
                byte s = VisibleSegments(i);
                bool On(int bit) => (s & (1 << bit)) != 0;
                lines[0].Append(' ').Append(On(0) ? '_' : ' ').Append(' ').Append(' ');
                lines[1].Append(On(5) ? '|' : ' ').Append(On(6) ? '_' : ' ').Append(On(1) ? '|' : ' ').Append(' ');
                lines[2].Append(On(4) ? '|' : ' ').Append(On(3) ? '_' : ' ').Append(On(2) ? '|' : ' ').Append(On(7) ? '.' : ' ');
            }
            return string.Join('\n', lines.Select(l => l.ToString().TrimEnd()));
        }
    }

    private byte VisibleSegments(int digit)
    {
        if ((_control & 0x01) == 0) return 0;
        byte s = _segments[digit];
        return (_control & 0x08) != 0 ? (byte)(s & 0x7F) : s;
    }

    internal override bool OnStart(ushort address, bool read)
    {
        // Only the command 0x49 reads; 0x69..0x6F are not commands of the chip.
        if (read && address != CommandAddress) return false;
        _current = address;
        _read = read;
        return true;
    }

    internal override bool OnWrite(byte value)
    {
        if (_current == CommandAddress) _control = value;
        else _segments[_current - FirstDigitAddress] = value;
        return true;
    }

    internal override byte OnRead() => _read ? _keyCode : (byte)0xFF;

    internal override void OnStop() { }
}
