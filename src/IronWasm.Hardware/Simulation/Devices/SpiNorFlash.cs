namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>How long the flash stays busy after each operation (defaults: typical values of the
/// W25Q16JV datasheet).</summary>
public sealed record FlashTiming(TimeSpan PageProgram, TimeSpan SectorErase, TimeSpan BlockErase32K, TimeSpan BlockErase64K, TimeSpan ChipErase, TimeSpan WriteStatus)
{
    public static FlashTiming Typical { get; } = new(
        TimeSpan.FromMilliseconds(0.4), TimeSpan.FromMilliseconds(45), TimeSpan.FromMilliseconds(120),
        TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));

    /// <summary>No busy time at all.</summary>
    public static FlashTiming Instant { get; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
}

/// <summary>A Winbond W25Q-series SPI NOR flash (W25Q80/16/32/64/128, manufacturer 0xEF, memory
/// type 0x40). Follows the W25Q16JV datasheet: instructions take effect when chip select rises
/// and only after exactly the bytes they need; program and erase need the write enable latch
/// (WREN 0x06) and clear it when done; while BUSY only Read Status Register is answered; page
/// program (0x02) wraps within its 256-byte page, keeps the last byte sent for each position
/// and can only turn bits from 1 to 0; erases set 4 KiB (0x20), 32 KiB (0x52), 64 KiB (0xD8) or
/// the whole array (0xC7/0x60) to 0xFF; READ (0x03) and FAST READ (0x0B, one dummy byte) run on
/// and wrap at the end of the array. Also: JEDEC ID (0x9F), Manufacturer/Device ID (0x90),
/// Release Power-down/Device ID (0xAB), Power-down (0xB9), Unique ID (0x4B), Write Status
/// Register (0x01, bits 7..2 stored; block protection is not enforced), Read Status Register 2
/// (0x35), Enable Reset/Reset (0x66, 0x99). A floating MISO reads as 1.</summary>
public sealed class SpiNorFlashDevice : SimulatedSpiDevice
{
    public const int PageSize = 256, SectorSize = 4096;
    internal const byte Busy = 0x01, Wel = 0x02;

    private readonly byte[] _memory;
    private readonly byte _capacityCode, _deviceId;
    private readonly FlashTiming _timing;
    private readonly byte[] _uniqueId = new byte[8];
    private readonly string? _file;
    private readonly string _model;

    private byte _status1, _status2;
    private TimeSpan? _busyUntil;
    private bool _poweredDown, _resetEnabled;
    // Transaction state
    private int _opcode = -1;
    private bool _ignored;
    private int _count;
    private int _address;
    private readonly byte[] _pageBuffer = new byte[PageSize];
    private readonly bool[] _pageWritten = new bool[PageSize];

    internal SpiNorFlashDevice(string name, SimulationClock clock, string model = "w25q16", FlashTiming? timing = null, string? file = null)
        : base(name, clock)
    {
        (_capacityCode, _deviceId) = model switch
        {
            "w25q80" => ((byte)0x14, (byte)0x13),
            "w25q16" => ((byte)0x15, (byte)0x14),
            "w25q32" => ((byte)0x16, (byte)0x15),
            "w25q64" => ((byte)0x17, (byte)0x16),
            "w25q128" => ((byte)0x18, (byte)0x17),
            _ => throw new ArgumentException($"unknown flash model '{model}' (w25q80, w25q16, w25q32, w25q64, w25q128)", nameof(model)),
        };
        _model = model;
        _memory = new byte[1 << _capacityCode];
        _memory.AsSpan().Fill(0xFF);
        _timing = timing ?? FlashTiming.Typical;
        _file = file;
        // A fixed unique id per device name, so runs are reproducible.
        uint hash = 2166136261;
        foreach (char c in name) hash = (hash ^ c) * 16777619;
        for (int i = 0; i < 8; i++) { _uniqueId[i] = (byte)hash; hash = hash * 16777619 + 0x9E37; }
        if (file is not null && File.Exists(file))
        {
            byte[] content = File.ReadAllBytes(file);
            if (content.Length != _memory.Length) throw new InvalidDataException($"flash file '{file}' has {content.Length} bytes; a {model.ToUpperInvariant()} image has {_memory.Length}");
            content.CopyTo(_memory, 0);
        }
    }

    public override string Kind => _model;

    public override string Description => $"SPI NOR flash {_model.ToUpperInvariant()}, {_memory.Length / 1024} KiB (JEDEC id EF 40 {_capacityCode:X2}){(_file is null ? "" : $", file {_file}")}";

    public int Capacity => _memory.Length;

    /// <summary>The JEDEC id bytes: manufacturer, memory type, capacity.</summary>
    public byte[] JedecId => [0xEF, 0x40, _capacityCode];

    /// <summary>Status register 1 as RDSR would return it now.</summary>
    public byte Status { get { lock (Sync) { Update(); return Status1; } } }

    /// <summary>A copy of <paramref name="length"/> bytes at <paramref name="address"/>.</summary>
    public byte[] ReadMemory(int address, int length)
    {
        lock (Sync) return _memory.AsSpan(address, length).ToArray();
    }

    private byte Status1 => (byte)((_status1 & 0xFC) | (_busyUntil is null ? 0 : Busy) | (_status1 & Wel));

    private void Update()
    {
        if (_busyUntil is { } until && Clock.Elapsed >= until)
        {
            _busyUntil = null;
            _status1 &= unchecked((byte)~Wel);
        }
    }

    private protected override void ChipSelect()
    {
        Update();
        _opcode = -1;
        _ignored = false;
        _count = 0;
        _address = 0;
    }

    private protected override byte Exchange(byte mosi)
    {
        if (_opcode < 0)
        {
            Update();
            _opcode = mosi;
            _ignored = (_busyUntil is not null && mosi is not (0x05 or 0x35)) || (_poweredDown && mosi != 0xAB);
            if (mosi == 0x02)
            {
                _pageBuffer.AsSpan().Fill(0xFF);
                _pageWritten.AsSpan().Clear();
            }
            return 0xFF;
        }
        if (_ignored) return 0xFF;
        int index = _count++;
        switch (_opcode)
        {
            case 0x05:
                Update();
                return Status1;
            case 0x35:
                return _status2;
            case 0x9F:
                return index switch { 0 => 0xEF, 1 => 0x40, 2 => _capacityCode, _ => 0xFF };
            case 0x03:
                if (index < 3) { AddressByte(mosi); return 0xFF; }
                return ReadNext();
            case 0x0B:
                if (index < 3) { AddressByte(mosi); return 0xFF; }
                return index == 3 ? (byte)0xFF : ReadNext();
            case 0x90:
                if (index < 3) { AddressByte(mosi); return 0xFF; }
                return ((index - 3 + (_address & 1)) & 1) == 0 ? (byte)0xEF : _deviceId;
            case 0xAB:
                return index < 3 ? (byte)0xFF : _deviceId;
            case 0x4B:
                return index is >= 4 and < 12 ? _uniqueId[index - 4] : (byte)0xFF;
            case 0x02:
                if (index < 3) { AddressByte(mosi); return 0xFF; }
                // Bytes past the end of the page wrap to its start and replace what was sent there.
                int offset = ((_address & 0xFF) + index - 3) & 0xFF;
                _pageBuffer[offset] = mosi;
                _pageWritten[offset] = true;
                return 0xFF;
            case 0x20 or 0x52 or 0xD8:
                if (index < 3) AddressByte(mosi);
                return 0xFF;
            case 0x01:
                if (index == 0) _pageBuffer[0] = mosi;
                else if (index == 1) _pageBuffer[1] = mosi;
                return 0xFF;
            default:
                return 0xFF;
        }
    }

    private void AddressByte(byte b) => _address = ((_address << 8) | b) & 0xFFFFFF;

    private byte ReadNext()
    {
        byte value = _memory[_address % _memory.Length];
        _address = (_address + 1) % _memory.Length;
        return value;
    }

    private protected override void ChipDeselect()
    {
        if (_opcode < 0 || _ignored) return;
        int opcode = _opcode, count = _count;
        bool wel = (_status1 & Wel) != 0;
        if (opcode != 0x99) _resetEnabled = opcode == 0x66 && count == 0;
        switch (opcode)
        {
            case 0x06 when count == 0: _status1 |= Wel; break;
            case 0x04 when count == 0: _status1 &= unchecked((byte)~Wel); break;
            case 0xB9 when count == 0: _poweredDown = true; break;
            case 0xAB: _poweredDown = false; break;
            case 0x99 when count == 0 && _resetEnabled:
                _resetEnabled = false;
                _busyUntil = null;
                _status1 &= unchecked((byte)~Wel);
                break;
            case 0x02 when wel && count >= 4:
                {
                    int page = (_address % _memory.Length) & ~0xFF;
                    for (int i = 0; i < PageSize; i++)
                        if (_pageWritten[i]) _memory[page + i] &= _pageBuffer[i];
                    StartBusy(_timing.PageProgram);
                    Persist(page, PageSize);
                    break;
                }
            case 0x20 when wel && count == 3: Erase(SectorSize, _timing.SectorErase); break;
            case 0x52 when wel && count == 3: Erase(32 * 1024, _timing.BlockErase32K); break;
            case 0xD8 when wel && count == 3: Erase(64 * 1024, _timing.BlockErase64K); break;
            case 0xC7 or 0x60 when wel && count == 0:
                _memory.AsSpan().Fill(0xFF);
                StartBusy(_timing.ChipErase);
                Persist(0, _memory.Length);
                break;
            case 0x01 when wel && count >= 1:
                _status1 = (byte)((_pageBuffer[0] & 0xFC) | (_status1 & Wel));
                if (count >= 2) _status2 = (byte)(_pageBuffer[1] & 0x43);
                StartBusy(_timing.WriteStatus);
                break;
        }
        _opcode = -1;
    }

    private void Erase(int size, TimeSpan time)
    {
        int start = (_address % _memory.Length) / size * size;
        _memory.AsSpan(start, size).Fill(0xFF);
        StartBusy(time);
        Persist(start, size);
    }

    private void StartBusy(TimeSpan time)
    {
        _busyUntil = Clock.Elapsed + time;
        // With no busy time the operation is over before anyone can look.
        Update();
    }

    private void Persist(int start, int length)
    {
        if (_file is null) return;
        using var stream = new FileStream(_file, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        if (stream.Length != _memory.Length)
        {
            stream.Write(_memory);
            return;
        }
        stream.Position = start;
        stream.Write(_memory, start, length);
    }
}
