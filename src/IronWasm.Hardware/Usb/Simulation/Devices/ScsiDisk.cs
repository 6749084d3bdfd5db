using System.Buffers.Binary;
using System.Text;

namespace IronWasm.Hardware.Usb.Simulation.Devices;

internal enum ScsiDataPhase : byte { None, In, Out }

/// <summary>What the disk intends to do for one command: its data phase (from
/// <see cref="ScsiDisk.Response"/> or the medium at <see cref="MediumOffset"/>) and its status.</summary>
internal readonly record struct ScsiPlan(ScsiDataPhase Phase, int Length, bool Good, bool FromMedium = false, long MediumOffset = 0)
{
    public static ScsiPlan Failed => new(ScsiDataPhase.None, 0, false);
}

/// <summary>A direct-access block device speaking the SCSI commands a USB stick needs (SPC-4,
/// SBC-3): INQUIRY, TEST UNIT READY, REQUEST SENSE, READ CAPACITY(10), READ(10), WRITE(10),
/// MODE SENSE(6), PREVENT ALLOW MEDIUM REMOVAL, SYNCHRONIZE CACHE(10). Errors are CHECK
/// CONDITION with fixed-format sense data kept for the next REQUEST SENSE.</summary>
internal sealed class ScsiDisk
{
    public const int BlockSize = 512;

    public const byte TestUnitReady = 0x00;
    public const byte RequestSense = 0x03;
    public const byte Inquiry = 0x12;
    public const byte ModeSense6 = 0x1A;
    public const byte PreventAllowMediumRemoval = 0x1E;
    public const byte ReadCapacity10 = 0x25;
    public const byte Read10 = 0x28;
    public const byte Write10 = 0x2A;
    public const byte SynchronizeCache10 = 0x35;

    // Sense keys and additional sense codes (SPC-4 4.5.6, annex D).
    public const byte KeyNoSense = 0x00, KeyMediumError = 0x03, KeyIllegalRequest = 0x05, KeyDataProtect = 0x07;
    public const byte AscUnrecoveredReadError = 0x11, AscWriteError = 0x0C, AscInvalidOpcode = 0x20,
        AscLbaOutOfRange = 0x21, AscInvalidFieldInCdb = 0x24, AscWriteProtected = 0x27;

    private const byte CachingPage = 0x08, AllPages = 0x3F;

    private readonly IBlockStore _store;
    private readonly byte[] _response = new byte[64];
    private readonly string _serialNumber;
    private byte _senseKey, _asc, _ascq;

    public ScsiDisk(IBlockStore store, string serialNumber)
    {
        _store = store;
        _serialNumber = serialNumber;
        BlockCount = store.Length / BlockSize;
    }

    public long BlockCount { get; }
    public bool IsReadOnly => _store.IsReadOnly;
    public bool MediumRemovalPrevented { get; private set; }
    public (byte Key, byte Asc, byte Ascq) Sense => (_senseKey, _asc, _ascq);

    /// <summary>The data of a command answered from memory (INQUIRY, sense, capacity, mode page).</summary>
    public ReadOnlySpan<byte> Response => _response;

    public void Reset()
    {
        MediumRemovalPrevented = false;
        SetSense(KeyNoSense, 0);
    }

    /// <summary>Decodes <paramref name="cdb"/> and decides the command's data phase; answers
    /// from memory are written into <see cref="Response"/>.</summary>
    public ScsiPlan Plan(ReadOnlySpan<byte> cdb)
    {
        byte opcode = cdb[0];
        if (opcode is not (TestUnitReady or RequestSense or Inquiry or ModeSense6 or PreventAllowMediumRemoval
            or ReadCapacity10 or Read10 or Write10 or SynchronizeCache10))
            return Fail(KeyIllegalRequest, AscInvalidOpcode);
        // Group 0 commands are 6 bytes long, groups 1 and 2 ten.
        if (cdb.Length < (opcode < 0x20 ? 6 : 10)) return Fail(KeyIllegalRequest, AscInvalidFieldInCdb);
        if (opcode != RequestSense) SetSense(KeyNoSense, 0);
        switch (opcode)
        {
            case TestUnitReady:
                return new ScsiPlan(ScsiDataPhase.None, 0, true);
            case RequestSense:
                return RespondRequestSense(cdb);
            case Inquiry:
                return RespondInquiry(cdb);
            case ModeSense6:
                return RespondModeSense(cdb);
            case PreventAllowMediumRemoval:
                MediumRemovalPrevented = (cdb[4] & 1) != 0;
                return new ScsiPlan(ScsiDataPhase.None, 0, true);
            case ReadCapacity10:
                long last = Math.Min(BlockCount - 1, uint.MaxValue);
                BinaryPrimitives.WriteUInt32BigEndian(_response, (uint)last);
                BinaryPrimitives.WriteUInt32BigEndian(_response.AsSpan(4), BlockSize);
                return new ScsiPlan(ScsiDataPhase.In, 8, true);
            case Read10:
            case Write10:
                return PlanReadWrite(cdb, opcode == Write10);
            default: // SYNCHRONIZE CACHE(10), the only one left
                _store.Flush();
                return new ScsiPlan(ScsiDataPhase.None, 0, true);
        }
    }

    /// <summary>Reads medium bytes; a failure becomes MEDIUM ERROR sense and false.</summary>
    public bool ReadMedium(long offset, Span<byte> into)
    {
        try
        {
            _store.Read(offset, into);
            return true;
        }
        catch (IOException)
        {
            into.Clear();
            SetSense(KeyMediumError, AscUnrecoveredReadError);
            return false;
        }
    }

    public bool WriteMedium(long offset, ReadOnlySpan<byte> data)
    {
        try
        {
            _store.Write(offset, data);
            return true;
        }
        catch (IOException)
        {
            SetSense(KeyMediumError, AscWriteError);
            return false;
        }
    }

    private ScsiPlan PlanReadWrite(ReadOnlySpan<byte> cdb, bool write)
    {
        uint lba = BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);
        int blocks = BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
        if (lba + (long)blocks > BlockCount) return Fail(KeyIllegalRequest, AscLbaOutOfRange);
        if (write && IsReadOnly) return Fail(KeyDataProtect, AscWriteProtected);
        if (blocks == 0) return new ScsiPlan(ScsiDataPhase.None, 0, true);
        return new ScsiPlan(write ? ScsiDataPhase.Out : ScsiDataPhase.In, blocks * BlockSize, true, true, lba * (long)BlockSize);
    }

    private ScsiPlan RespondRequestSense(ReadOnlySpan<byte> cdb)
    {
        // Fixed format (SPC-4 4.5.3), current error; reading the sense clears it.
        var r = _response.AsSpan(0, 18);
        r.Clear();
        r[0] = 0x70;
        r[2] = _senseKey;
        r[7] = 10;
        r[12] = _asc;
        r[13] = _ascq;
        SetSense(KeyNoSense, 0);
        return In(Math.Min(18, (int)cdb[4]));
    }

    private ScsiPlan RespondInquiry(ReadOnlySpan<byte> cdb)
    {
        int allocation = BinaryPrimitives.ReadUInt16BigEndian(cdb[3..]);
        bool vitalProductData = (cdb[1] & 1) != 0;
        byte page = cdb[2];
        var r = _response.AsSpan();
        r.Clear();
        if (vitalProductData)
        {
            switch (page)
            {
                case 0x00:
                    // Supported VPD pages: this one and the unit serial number.
                    r[1] = 0x00;
                    r[3] = 2;
                    r[4] = 0x00;
                    r[5] = 0x80;
                    return In(Math.Min(6, allocation));
                case 0x80:
                    int n = Math.Min(_serialNumber.Length, r.Length - 4);
                    r[1] = 0x80;
                    r[3] = (byte)n;
                    Encoding.ASCII.GetBytes(_serialNumber.AsSpan(0, n), r[4..]);
                    return In(Math.Min(4 + n, allocation));
                default:
                    return Fail(KeyIllegalRequest, AscInvalidFieldInCdb);
            }
        }
        if (page != 0) return Fail(KeyIllegalRequest, AscInvalidFieldInCdb);
        // Standard INQUIRY data (SPC-4 6.4.2): direct-access block device, removable, SPC-4.
        r[0] = 0x00;
        r[1] = 0x80;
        r[2] = 0x06;
        r[3] = 0x02;
        r[4] = 31;
        WritePadded(r.Slice(8, 8), "IronWasm");
        WritePadded(r.Slice(16, 16), "Sim Mass Storage");
        WritePadded(r.Slice(32, 4), "1.00");
        return In(Math.Min(36, allocation));
    }

    private ScsiPlan RespondModeSense(ReadOnlySpan<byte> cdb)
    {
        byte page = (byte)(cdb[2] & 0x3F);
        bool changeable = (cdb[2] >> 6) == 1;
        if (page is not (CachingPage or AllPages) || cdb[3] != 0) return Fail(KeyIllegalRequest, AscInvalidFieldInCdb);
        var r = _response.AsSpan();
        r.Clear();
        // Header (SPC-4 7.5.5): no block descriptors; WP bit for a read-only medium.
        r[2] = IsReadOnly ? (byte)0x80 : (byte)0;
        // Caching page (SBC-3 6.4.5), 20 bytes: write-through, nothing changeable.
        r[4] = CachingPage;
        r[5] = 18;
        if (!changeable) r[6] = 0x00;
        int length = 4 + 20;
        r[0] = (byte)(length - 1);
        return In(Math.Min(length, (int)cdb[4]));
    }

    private static ScsiPlan In(int length) => length == 0 ? new ScsiPlan(ScsiDataPhase.None, 0, true) : new ScsiPlan(ScsiDataPhase.In, length, true);

    private ScsiPlan Fail(byte key, byte asc)
    {
        SetSense(key, asc);
        return ScsiPlan.Failed;
    }

    private void SetSense(byte key, byte asc, byte ascq = 0)
    {
        _senseKey = key;
        _asc = asc;
        _ascq = ascq;
    }

    private static void WritePadded(Span<byte> field, string text)
    {
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(text.AsSpan(0, Math.Min(text.Length, field.Length)), field);
    }
}
