namespace IronWasm.Hardware.Simulation.Devices;

/// <summary>A 24C02 serial EEPROM (2 Kbit = 256 bytes; addresses 0x50-0x57 by A2..A0), as the
/// AT24C02 datasheet describes it: the first byte written after the address is the word
/// address; data bytes that follow are a page write of up to 8 bytes (page size configurable,
/// e.g. 16 for ST's M24C02) whose address wraps within the page ("roll over"); the write cycle
/// starts at the stop condition and lasts tWR (5 ms by default, configurable, zero allowed),
/// during which the device does not acknowledge its address (acknowledge polling); reads
/// continue from the internal address counter and wrap from the last byte to the first; the
/// counter keeps the last address accessed plus one. Data bytes followed by a repeated start
/// instead of a stop are not written. Unwritten memory reads 0xFF. An optional backing file
/// (exactly 256 bytes) keeps the contents between runs; it is written at each write cycle.</summary>
public sealed class Eeprom24C02Device : SimulatedI2cDevice
{
    public const int Size = 256;
    public static readonly TimeSpan DefaultWriteTime = TimeSpan.FromMilliseconds(5);

    private readonly byte[] _memory = new byte[Size];
    private readonly byte[] _pageBuffer;
    private readonly bool[] _pageDirty;
    private readonly int _pageSize;
    private readonly TimeSpan _writeTime;
    private readonly string? _file;
    private byte _counter;
    private bool _expectWordAddress, _lastMessageWroteData;
    private int _pageBase;
    private TimeSpan _busyUntil = TimeSpan.MinValue;

    internal Eeprom24C02Device(string name, ushort address, SimulationClock clock, TimeSpan? writeTime = null, int pageSize = 8, string? file = null)
        : base(name, address, clock)
    {
        if (address is < 0x50 or > 0x57) throw new ArgumentException("a 24C02 answers on 0x50-0x57 (A2..A0)", nameof(address));
        if (pageSize is not (8 or 16)) throw new ArgumentException("24C02 parts have 8-byte (AT24C02) or 16-byte (M24C02) pages", nameof(pageSize));
        _writeTime = writeTime ?? DefaultWriteTime;
        if (_writeTime < TimeSpan.Zero) throw new ArgumentException("the write cycle time cannot be negative", nameof(writeTime));
        _pageSize = pageSize;
        _pageBuffer = new byte[pageSize];
        _pageDirty = new bool[pageSize];
        _file = file;
        _memory.AsSpan().Fill(0xFF);
        if (file is not null && File.Exists(file))
        {
            byte[] content = File.ReadAllBytes(file);
            if (content.Length != Size) throw new InvalidDataException($"EEPROM file '{file}' has {content.Length} bytes; a 24C02 image has {Size}");
            content.CopyTo(_memory, 0);
        }
    }

    public override string Kind => "24c02";

    public override string Description => $"24C02 EEPROM, 256 bytes, {_pageSize}-byte pages, write cycle {_writeTime.TotalMilliseconds} ms{(_file is null ? "" : $", file {_file}")}";

    public int PageSize => _pageSize;

    /// <summary>Whether a write cycle is in progress (the device ignores its address meanwhile).</summary>
    public bool WriteCycleInProgress { get { lock (Sync) return Clock.Elapsed < _busyUntil; } }

    /// <summary>A copy of the memory as it is now.</summary>
    public byte[] ReadAll() { lock (Sync) return (byte[])_memory.Clone(); }

    internal override bool OnStart(ushort address, bool read)
    {
        if (Clock.Elapsed < _busyUntil) return false;
        _lastMessageWroteData = false;
        if (!read)
        {
            _expectWordAddress = true;
            _pageDirty.AsSpan().Clear();
        }
        return true;
    }

    internal override bool OnWrite(byte value)
    {
        if (_expectWordAddress)
        {
            _expectWordAddress = false;
            _counter = value;
            _pageBase = value / _pageSize * _pageSize;
            return true;
        }
        // The low address bits count within the page; the page itself stays (roll over).
        int offset = _counter - _pageBase;
        _pageBuffer[offset] = value;
        _pageDirty[offset] = true;
        _counter = (byte)(_pageBase + (offset + 1) % _pageSize);
        _lastMessageWroteData = true;
        return true;
    }

    internal override byte OnRead()
    {
        byte value = _memory[_counter];
        _counter++;
        return value;
    }

    internal override void OnStop()
    {
        if (!_lastMessageWroteData) return;
        _lastMessageWroteData = false;
        for (int i = 0; i < _pageSize; i++)
            if (_pageDirty[i]) _memory[_pageBase + i] = _pageBuffer[i];
        _pageDirty.AsSpan().Clear();
        _busyUntil = Clock.Elapsed + _writeTime;
        if (_file is not null) Persist();
    }

    private void Persist()
    {
        using var stream = new FileStream(_file!, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        if (stream.Length != Size) stream.Write(_memory);
        else
        {
            stream.Position = _pageBase;
            stream.Write(_memory, _pageBase, _pageSize);
        }
    }
}
