using System.Buffers.Binary;

namespace IronWasm.Hardware.Usb.Simulation.Devices;

/// <summary>A USB stick: mass-storage class, SCSI transparent command set, Bulk-Only Transport
/// (USB MSC BOT 1.0), one LUN of 512-byte blocks backed by an image file or memory.
/// <para>The host sends a 31-byte CBW ('USBC', tag, data length, direction, CDB) on bulk OUT,
/// moves the data, and reads a 13-byte CSW ('USBS', the same tag, residue, status) on bulk IN.
/// Where the host's expectation and the command disagree the device follows the thirteen cases
/// of BOT §6.7: it stalls the data pipe when it has less to move than the host asked for, and
/// reports a phase error when it has more, or data in the other direction. A CBW that is not
/// valid and meaningful (BOT §6.2: 31 bytes, 'USBC', LUN 0, CDB length 1..16, reserved bits
/// clear, after a CSW) stalls both pipes until Reset Recovery: the class request Bulk-Only Mass
/// Storage Reset, then CLEAR_FEATURE(HALT) on both endpoints.</para></summary>
public sealed class MassStorageDevice : SimulatedUsbDevice, IDisposable
{
    public const ushort VendorId = 0x1209;
    public const ushort ProductId = 0x0002;

    public const byte BulkIn = 0x81;
    public const byte BulkOut = 0x02;
    public const byte Interface = 0;

    /// <summary>Class requests (BOT §3.1, §3.2).</summary>
    public const byte BulkOnlyMassStorageReset = 0xFF;
    public const byte GetMaxLun = 0xFE;

    public const int CbwLength = 31;
    public const int CswLength = 13;
    public const uint CbwSignature = 0x43425355;
    public const uint CswSignature = 0x53425355;

    public const byte CswPassed = 0, CswFailed = 1, CswPhaseError = 2;

    private const int PacketSize = 512;
    private const int StagingSize = 64 * 1024;

    private readonly IBlockStore _store;
    private readonly ScsiDisk _disk;
    private readonly string _serialNumber;
    private readonly byte[] _staging = new byte[StagingSize];
    private readonly byte[] _cdb = new byte[16];

    private Phase _phase;
    private bool _awaitingResetRecovery;
    private uint _tag;
    private uint _hostLength;
    private byte _status;
    private ScsiPlan _plan;
    private int _deviceLength;
    private int _moved;
    private bool _stallAfterData;
    private int _stagedStart, _stagedCount;
    private bool _disposed;

    private enum Phase : byte { Command, DataIn, DataOut, Status }

    private MassStorageDevice(IBlockStore store, string name, string serialNumber) : base(name)
    {
        if (store.Length < ScsiDisk.BlockSize || store.Length % ScsiDisk.BlockSize != 0)
        {
            store.Dispose();
            throw new ArgumentException($"a disk image is a whole number of {ScsiDisk.BlockSize}-byte blocks, at least one; this one has {store.Length} bytes");
        }
        if (store.Length / ScsiDisk.BlockSize > uint.MaxValue + 1L)
        {
            store.Dispose();
            throw new ArgumentException("READ CAPACITY(10) addresses at most 2^32 blocks (2 TiB)");
        }
        _store = store;
        _serialNumber = serialNumber;
        _disk = new ScsiDisk(store, serialNumber);
        DeviceDescriptor = new UsbDeviceDescriptor(0x0200, 0, 0, 0, 64, VendorId, ProductId, 0x0100, 1, 2, 3, 1);
        Configurations =
        [
            new UsbConfigurationDescriptor(1, 0x80, 100,
            [
                new UsbInterfaceDescriptor(Interface, 0, 0x08, 0x06, 0x50,
                [
                    UsbEndpointDescriptor.Create(BulkIn, UsbTransferType.Bulk, PacketSize),
                    UsbEndpointDescriptor.Create(BulkOut, UsbTransferType.Bulk, PacketSize),
                ]),
            ]),
        ];
    }

    /// <summary>A disk backed by the image file at <paramref name="path"/>, read and written in place.</summary>
    /// <exception cref="ArgumentException">The file is not a whole number of 512-byte blocks.</exception>
    public static MassStorageDevice OpenImage(string path, bool readOnly = false, string name = "disk", string serialNumber = "120900020001") =>
        new(new FileBlockStore(path, readOnly), name, serialNumber);

    /// <summary>A disk of <paramref name="image"/>, which it reads and writes directly.</summary>
    public static MassStorageDevice FromMemory(byte[] image, bool readOnly = false, string name = "disk", string serialNumber = "120900020001")
    {
        ArgumentNullException.ThrowIfNull(image);
        return new(new MemoryBlockStore(image, readOnly), name, serialNumber);
    }

    public override UsbDeviceDescriptor DeviceDescriptor { get; }

    public override IReadOnlyList<UsbConfigurationDescriptor> Configurations { get; }

    public int BlockSize => ScsiDisk.BlockSize;

    public long BlockCount => _disk.BlockCount;

    public bool IsReadOnly => _disk.IsReadOnly;

    /// <summary>Set by PREVENT ALLOW MEDIUM REMOVAL; cleared by a reset.</summary>
    public bool MediumRemovalPrevented
    {
        get
        {
            using (LockBus()) return _disk.MediumRemovalPrevented;
        }
    }

    /// <summary>True after a CBW that was not valid, until Reset Recovery.</summary>
    public bool AwaitingResetRecovery
    {
        get
        {
            using (LockBus()) return _awaitingResetRecovery;
        }
    }

    public override string? GetString(byte index) => index switch
    {
        1 => "IronWasm",
        2 => "Simulated Mass Storage",
        3 => _serialNumber,
        _ => null,
    };

    // usb-storage binds to the interface at enumeration.
    public override bool HasKernelDriver(byte interfaceNumber) => interfaceNumber == Interface;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        using (LockBus())
        {
            _store.Flush();
            _store.Dispose();
        }
    }

    protected internal override void OnReset()
    {
        FlushStaged();
        _disk.Reset();
        _phase = Phase.Command;
        _awaitingResetRecovery = false;
    }

    protected internal override UsbPacketResult OnControl(in UsbSetupPacket setup, Span<byte> data, out int length)
    {
        length = 0;
        if (setup.Kind != UsbRequestKind.Class || setup.Recipient != UsbRequestRecipient.Interface || setup.Index != Interface)
            return UsbPacketResult.Stall;
        switch (setup.Request)
        {
            case BulkOnlyMassStorageReset when !setup.IsDeviceToHost && setup.Value == 0 && setup.Length == 0:
                // Readies the device for the next CBW; the halts stay until the host clears them.
                FlushStaged();
                _phase = Phase.Command;
                _awaitingResetRecovery = false;
                return UsbPacketResult.Ack;
            case GetMaxLun when setup.IsDeviceToHost && setup.Value == 0 && data.Length >= 1:
                data[0] = 0;
                length = 1;
                return UsbPacketResult.Ack;
            default:
                return UsbPacketResult.Stall;
        }
    }

    protected internal override UsbPacketResult OnOutPacket(byte endpoint, ReadOnlySpan<byte> packet)
    {
        if (endpoint != BulkOut || _awaitingResetRecovery) return UsbPacketResult.Stall;
        switch (_phase)
        {
            case Phase.Command:
                return ReceiveCommand(packet);
            case Phase.DataOut:
                return ReceiveData(packet);
            case Phase.Status:
                // A CBW before the CSW was read is not valid (BOT §6.2.1).
                RequireResetRecovery();
                return UsbPacketResult.Ack;
            default:
                return UsbPacketResult.Nak;
        }
    }

    protected internal override UsbPacketResult OnInPacket(byte endpoint, Span<byte> packet, out int length)
    {
        length = 0;
        if (endpoint != BulkIn || _awaitingResetRecovery) return UsbPacketResult.Stall;
        switch (_phase)
        {
            case Phase.DataIn:
                return SendData(packet, out length);
            case Phase.Status:
                WriteStatus(packet);
                length = CswLength;
                _phase = Phase.Command;
                return UsbPacketResult.Ack;
            default:
                return UsbPacketResult.Nak;
        }
    }

    private UsbPacketResult ReceiveCommand(ReadOnlySpan<byte> cbw)
    {
        if (cbw.Length != CbwLength || BinaryPrimitives.ReadUInt32LittleEndian(cbw) != CbwSignature)
        {
            RequireResetRecovery();
            return UsbPacketResult.Ack;
        }
        byte flags = cbw[12], lun = cbw[13], cbLength = cbw[14];
        if ((flags & 0x7F) != 0 || lun != 0 || cbLength is 0 or > 16)
        {
            RequireResetRecovery();
            return UsbPacketResult.Ack;
        }
        _tag = BinaryPrimitives.ReadUInt32LittleEndian(cbw[4..]);
        _hostLength = BinaryPrimitives.ReadUInt32LittleEndian(cbw[8..]);
        bool hostIn = (flags & 0x80) != 0;
        cbw.Slice(15, cbLength).CopyTo(_cdb);
        _plan = _disk.Plan(_cdb.AsSpan(0, cbLength));
        _status = _plan.Good ? CswPassed : CswFailed;
        _moved = 0;
        _stagedCount = 0;
        _stallAfterData = false;
        ResolveCase(hostIn);
        return UsbPacketResult.Ack;
    }

    // The thirteen cases of BOT §6.7: Hn/Hi/Ho what the host expects, Dn/Di/Do what the device intends.
    private void ResolveCase(bool hostIn)
    {
        long host = _hostLength;
        int device = _plan.Length;
        var intends = device == 0 ? ScsiDataPhase.None : _plan.Phase;
        if (host == 0)
        {
            // Case 1 (Hn = Dn) passes; cases 2 and 3 (Hn < Di, Hn < Do) are phase errors.
            if (intends != ScsiDataPhase.None) _status = CswPhaseError;
            _phase = Phase.Status;
            return;
        }
        if (hostIn)
        {
            _phase = Phase.DataIn;
            switch (intends)
            {
                case ScsiDataPhase.None:   // case 4, Hi > Dn: stall the IN pipe
                    _deviceLength = 0;
                    _stallAfterData = true;
                    break;
                case ScsiDataPhase.Out:    // case 8, Hi <> Do
                    _deviceLength = 0;
                    _stallAfterData = true;
                    _status = CswPhaseError;
                    break;
                default:
                    if (host > device)     // case 5: send it; stall unless a short packet ends it
                    {
                        _deviceLength = device;
                        _stallAfterData = device % PacketSize == 0;
                    }
                    else if (host == device) _deviceLength = device;  // case 6
                    else                   // case 7, Hi < Di: what fits, then a phase error
                    {
                        _deviceLength = (int)host;
                        _status = CswPhaseError;
                    }
                    break;
            }
            return;
        }
        _phase = Phase.DataOut;
        switch (intends)
        {
            case ScsiDataPhase.None:       // case 9, Ho > Dn: stall the OUT pipe
                _deviceLength = 0;
                _stallAfterData = true;
                break;
            case ScsiDataPhase.In:         // case 10, Ho <> Di
                _deviceLength = 0;
                _stallAfterData = true;
                _status = CswPhaseError;
                break;
            default:
                if (host > device)         // case 11: take what it wants, then stall
                {
                    _deviceLength = device;
                    _stallAfterData = true;
                }
                else if (host == device) _deviceLength = device;  // case 12
                else                       // case 13, Ho < Do
                {
                    _deviceLength = (int)host;
                    _status = CswPhaseError;
                }
                break;
        }
    }

    private UsbPacketResult SendData(Span<byte> packet, out int length)
    {
        length = 0;
        if (_moved == _deviceLength)
        {
            // Only reached with more asked for than there is (cases 4, 5, 8).
            _phase = Phase.Status;
            return UsbPacketResult.Stall;
        }
        length = Math.Min(packet.Length, _deviceLength - _moved);
        if (_plan.FromMedium)
        {
            if (_stagedCount == 0 || _moved >= _stagedStart + _stagedCount)
            {
                _stagedStart = _moved;
                _stagedCount = Math.Min(StagingSize, _deviceLength - _moved);
                if (!_disk.ReadMedium(_plan.MediumOffset + _moved, _staging.AsSpan(0, _stagedCount))) _status = CswFailed;
            }
            _staging.AsSpan(_moved - _stagedStart, length).CopyTo(packet);
        }
        else _disk.Response.Slice(_moved, length).CopyTo(packet);
        _moved += length;
        if (_moved == _deviceLength && (!_stallAfterData || length < packet.Length)) _phase = Phase.Status;
        return UsbPacketResult.Ack;
    }

    private UsbPacketResult ReceiveData(ReadOnlySpan<byte> packet)
    {
        if (_moved == _deviceLength)
        {
            FlushStaged();
            _phase = Phase.Status;
            return UsbPacketResult.Stall;
        }
        int take = Math.Min(packet.Length, _deviceLength - _moved);
        if (_stagedCount + take > StagingSize) FlushStaged();
        if (_stagedCount == 0) _stagedStart = _moved;
        packet[..take].CopyTo(_staging.AsSpan(_stagedCount));
        _stagedCount += take;
        _moved += take;
        if (_moved == _deviceLength)
        {
            FlushStaged();
            if (!_stallAfterData) _phase = Phase.Status;
        }
        return UsbPacketResult.Ack;
    }

    private void FlushStaged()
    {
        if (_phase == Phase.DataOut && _stagedCount > 0 && _plan.FromMedium)
        {
            if (!_disk.WriteMedium(_plan.MediumOffset + _stagedStart, _staging.AsSpan(0, _stagedCount))) _status = CswFailed;
        }
        _stagedCount = 0;
    }

    private void WriteStatus(Span<byte> packet)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(packet, CswSignature);
        BinaryPrimitives.WriteUInt32LittleEndian(packet[4..], _tag);
        BinaryPrimitives.WriteUInt32LittleEndian(packet[8..], (uint)(_hostLength - (uint)_moved));
        packet[12] = _status;
    }

    private void RequireResetRecovery()
    {
        FlushStaged();
        _awaitingResetRecovery = true;
        HaltEndpoint(BulkIn);
        HaltEndpoint(BulkOut);
    }
}
