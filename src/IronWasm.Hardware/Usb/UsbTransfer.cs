using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace IronWasm.Hardware.Usb;

public enum UsbTransferState : byte
{
    /// <summary>Never submitted, or its last submission was refused.</summary>
    Idle,
    Pending,
    Completed,
}

/// <summary>One isochronous packet of a transfer: the length asked for, and after completion the
/// length moved and its own status (libusb_iso_packet_descriptor).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct UsbIsoPacket
{
    public int Length { get; internal set; }
    public int ActualLength { get; internal set; }
    public UsbTransferStatus Status { get; internal set; }
}

/// <summary>A reusable transfer (libusb_transfer): allocated once by
/// <see cref="UsbDeviceHandle.AllocateTransfer"/> with a buffer of fixed capacity, then filled,
/// submitted, awaited, and submitted again, so that steady-state I/O allocates nothing.
/// The buffer is pinned for its whole life (a native backend hands its address to the OS).
/// A control transfer's buffer is laid out as libusb's: the 8-byte setup packet, then the data
/// stage; <see cref="Buffer"/> is the data stage. An isochronous transfer's packets lie one after
/// another in <see cref="Buffer"/>, each <see cref="UsbIsoPacket.Length"/> long.
/// Submit, cancel and wait may be called from any thread; one submission at a time.</summary>
public abstract class UsbTransfer : IDisposable, IValueTaskSource<UsbTransferStatus>
{
    /// <summary>The largest buffer a transfer may have (Linux usbfs's default limit per request).</summary>
    public const int MaxLength = 16 << 20;

    /// <summary>The most packets of one isochronous transfer (usbfs's limit below SuperSpeed).</summary>
    public const int MaxIsoPackets = 128;

    // Spinning this long before blocking catches the completions of a USB round trip (about 0.1
    // to 0.6 ms) without paying for a kernel wake-up, which would show up in every measurement.
    private static readonly long SpinTicks = Stopwatch.Frequency / 1000;

    private readonly byte[] _buffer;
    private readonly int _dataOffset;
    private readonly UsbIsoPacket[] _iso;
    private readonly Lock _stateLock = new();
    private readonly ManualResetEventSlim _done = new(true, 0);
    private ManualResetValueTaskSourceCore<UsbTransferStatus> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _asyncCancellation;
    private int _state;
    private byte _endpoint;
    private int _length;
    private bool _disposed;

    protected UsbTransfer(UsbTransferType type, byte endpoint, int capacity, int isoPacketCount)
    {
        if (CheckAllocation(type, endpoint, capacity, isoPacketCount) is var e and not UsbError.Success)
            throw new ArgumentException($"cannot allocate a {type} transfer on endpoint 0x{endpoint:x2} of {capacity} bytes with {isoPacketCount} packets: {e.Describe()}");
        Type = type;
        _endpoint = endpoint;
        Capacity = capacity;
        _dataOffset = type == UsbTransferType.Control ? UsbSetupPacket.Size : 0;
        _buffer = GC.AllocateArray<byte>(_dataOffset + capacity, pinned: true);
        _iso = isoPacketCount == 0 ? [] : new UsbIsoPacket[isoPacketCount];
        _length = type == UsbTransferType.Isochronous ? 0 : capacity;
    }

    /// <summary>Why a transfer of these dimensions cannot exist, or <see cref="UsbError.Success"/>.</summary>
    internal static UsbError CheckAllocation(UsbTransferType type, byte endpoint, int capacity, int isoPacketCount)
    {
        if (capacity < 0 || capacity > MaxLength) return UsbError.InvalidParam;
        if (type == UsbTransferType.Control) return endpoint == 0 && capacity <= ushort.MaxValue && isoPacketCount == 0 ? UsbError.Success : UsbError.InvalidParam;
        if (!IsValidEndpointAddress(endpoint)) return UsbError.InvalidParam;
        if (type == UsbTransferType.Isochronous) return isoPacketCount is >= 1 and <= MaxIsoPackets ? UsbError.Success : UsbError.InvalidParam;
        return isoPacketCount == 0 && Enum.IsDefined(type) ? UsbError.Success : UsbError.InvalidParam;
    }

    internal static bool IsValidEndpointAddress(byte endpoint) => (endpoint & 0x0F) != 0 && (endpoint & 0x70) == 0;

    public UsbTransferType Type { get; }

    /// <summary>The endpoint address (bit 7 set for IN); 0 for a control transfer. May be changed
    /// while the transfer is not pending.</summary>
    public byte Endpoint
    {
        get => _endpoint;
        set
        {
            ThrowIfPending();
            if (Type == UsbTransferType.Control ? value != 0 : !IsValidEndpointAddress(value))
                throw new ArgumentException($"0x{value:x2} is not an endpoint address for a {Type} transfer", nameof(value));
            _endpoint = value;
        }
    }

    /// <summary>Direction of the data: true when it flows from the device to the host.</summary>
    public bool IsIn => Type == UsbTransferType.Control ? Setup.IsDeviceToHost : (_endpoint & 0x80) != 0;

    /// <summary>Milliseconds before a pending transfer completes with <see cref="UsbTransferStatus.TimedOut"/>; 0 for none.</summary>
    public uint TimeoutMilliseconds { get; set; }

    /// <summary>USB 3 bulk stream; 0 for none.</summary>
    public uint StreamId { get; set; }

    /// <summary>Bytes the buffer holds (for a control transfer, not counting the setup packet).</summary>
    public int Capacity { get; }

    /// <summary>Bytes to send or receive: for a control transfer the setup packet's wLength, for
    /// an isochronous one the sum of the packet lengths; otherwise set by the caller (initially
    /// <see cref="Capacity"/>).</summary>
    public int Length
    {
        get => Type switch
        {
            UsbTransferType.Control => Setup.Length,
            UsbTransferType.Isochronous => IsoTotalLength(),
            _ => _length,
        };
        set
        {
            if (Type is UsbTransferType.Control or UsbTransferType.Isochronous)
                throw new InvalidOperationException($"a {Type} transfer's length follows from its {(Type == UsbTransferType.Control ? "setup packet" : "packet lengths")}");
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Capacity);
            ThrowIfPending();
            _length = value;
        }
    }

    /// <summary>The setup packet of a control transfer (the first 8 bytes of the raw buffer).</summary>
    public UsbSetupPacket Setup
    {
        get => Type == UsbTransferType.Control ? UsbSetupPacket.Read(_buffer) : throw new InvalidOperationException("only a control transfer has a setup packet");
        set
        {
            if (Type != UsbTransferType.Control) throw new InvalidOperationException("only a control transfer has a setup packet");
            ThrowIfPending();
            value.WriteTo(_buffer);
        }
    }

    /// <summary>The data: what to send, or where received data lands.</summary>
    public Span<byte> Buffer => _buffer.AsSpan(_dataOffset, Capacity);

    /// <summary><see cref="Buffer"/> as memory, for asynchronous code.</summary>
    public Memory<byte> BufferMemory => _buffer.AsMemory(_dataOffset, Capacity);

    /// <summary>The data moved: the first <see cref="ActualLength"/> bytes of <see cref="Buffer"/>
    /// (for an isochronous transfer read each packet with <see cref="GetIsoPacketData"/>).</summary>
    public ReadOnlySpan<byte> ActualData => _buffer.AsSpan(_dataOffset, ActualLength);

    /// <summary>Bytes moved by the last submission (for isochronous: the sum over its packets).</summary>
    public int ActualLength { get; private set; }

    /// <summary>How the last submission ended (meaningful once <see cref="State"/> is Completed).</summary>
    public UsbTransferStatus Status { get; private set; }

    public UsbTransferState State => (UsbTransferState)Volatile.Read(ref _state);

    public bool IsPending => State == UsbTransferState.Pending;

    /// <summary>Anything the owner wants to find again from the transfer (a host's guest resource).</summary>
    public object? UserState { get; set; }

    public int IsoPacketCount => _iso.Length;

    public ReadOnlySpan<UsbIsoPacket> IsoPackets => _iso;

    /// <summary>Gives every isochronous packet the same length (libusb_set_iso_packet_lengths).</summary>
    public void SetIsoPacketLengths(int length)
    {
        for (int i = 0; i < _iso.Length; i++) SetIsoPacketLength(i, length);
    }

    public void SetIsoPacketLength(int index, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Capacity);
        ThrowIfPending();
        _iso[index].Length = length;
    }

    /// <summary>The part of <see cref="Buffer"/> packet <paramref name="index"/> occupies (its full length).</summary>
    public Span<byte> GetIsoPacketBuffer(int index)
    {
        int offset = 0;
        for (int i = 0; i < index; i++) offset += _iso[i].Length;
        return Buffer.Slice(offset, _iso[index].Length);
    }

    /// <summary>The data packet <paramref name="index"/> moved.</summary>
    public ReadOnlySpan<byte> GetIsoPacketData(int index) => GetIsoPacketBuffer(index)[.._iso[index].ActualLength];

    /// <summary>Submits the transfer. Completion is observed with <see cref="Wait()"/>,
    /// <see cref="WaitAsync"/> or <see cref="State"/>, and may happen before this returns.
    /// Errors: <see cref="UsbError.Busy"/> already pending; <see cref="UsbError.InvalidParam"/>
    /// a length beyond the buffer, a closed handle, a transfer that does not suit its endpoint;
    /// <see cref="UsbError.NotFound"/> no such endpoint on a claimed interface;
    /// <see cref="UsbError.NoDevice"/> the device has gone.</summary>
    public UsbError Submit()
    {
        lock (_stateLock)
        {
            if (_disposed) return UsbError.InvalidParam;
            if (State == UsbTransferState.Pending) return UsbError.Busy;
            if (Type == UsbTransferType.Control && Setup.Length > Capacity) return UsbError.InvalidParam;
            if (Type == UsbTransferType.Isochronous && IsoTotalLength() > Capacity) return UsbError.InvalidParam;
            ActualLength = 0;
            Status = UsbTransferStatus.Completed;
            for (int i = 0; i < _iso.Length; i++)
            {
                _iso[i].ActualLength = 0;
                _iso[i].Status = UsbTransferStatus.Completed;
            }
            _done.Reset();
            _core.Reset();
            Volatile.Write(ref _state, (int)UsbTransferState.Pending);
        }
        var error = SubmitCore();
        if (error != UsbError.Success)
        {
            lock (_stateLock)
            {
                Volatile.Write(ref _state, (int)UsbTransferState.Idle);
                _done.Set();
            }
        }
        return error;
    }

    /// <summary>Asks for a pending transfer to end; it completes with
    /// <see cref="UsbTransferStatus.Cancelled"/> (possibly before this returns) unless it finished
    /// first. <see cref="UsbError.NotFound"/> when it is not pending or already finishing.</summary>
    public UsbError Cancel()
    {
        if (!IsPending) return UsbError.NotFound;
        return CancelCore();
    }

    /// <summary>Blocks until the submitted transfer completes; returns its status.</summary>
    /// <exception cref="InvalidOperationException">It was never submitted.</exception>
    public UsbTransferStatus Wait()
    {
        if (State == UsbTransferState.Idle) throw new InvalidOperationException("the transfer has not been submitted");
        long until = Stopwatch.GetTimestamp() + SpinTicks;
        var spinner = new SpinWait();
        while (IsPending && Stopwatch.GetTimestamp() < until) spinner.SpinOnce(sleep1Threshold: -1);
        while (IsPending) _done.Wait();
        return Status;
    }

    /// <summary><see cref="Wait()"/>, cancelling the transfer if <paramref name="cancellation"/> fires first.</summary>
    public UsbTransferStatus Wait(CancellationToken cancellation)
    {
        if (!cancellation.CanBeCanceled) return Wait();
        using (cancellation.UnsafeRegister(static s => ((UsbTransfer)s!).Cancel(), this)) return Wait();
    }

    /// <summary>Completes with the status when the transfer does; await once per submission.
    /// Cancelling the token cancels the transfer. Allocates nothing without a token.</summary>
    public ValueTask<UsbTransferStatus> WaitAsync(CancellationToken cancellation = default)
    {
        short version;
        lock (_stateLock)
        {
            if (State == UsbTransferState.Idle) throw new InvalidOperationException("the transfer has not been submitted");
            if (State == UsbTransferState.Completed) return new ValueTask<UsbTransferStatus>(Status);
            version = _core.Version;
        }
        if (cancellation.CanBeCanceled) _asyncCancellation = cancellation.UnsafeRegister(static s => ((UsbTransfer)s!).Cancel(), this);
        return new ValueTask<UsbTransferStatus>(this, version);
    }

    /// <summary>Cancels a pending transfer and waits for it, then releases the transfer.</summary>
    public void Dispose()
    {
        if (IsPending)
        {
            Cancel();
            Wait();
        }
        lock (_stateLock)
        {
            if (_disposed) return;
            _disposed = true;
        }
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }

    /// <summary>For a backend: starts the transfer. The base class has checked the lengths and
    /// marked it pending; an error return makes it idle again.</summary>
    protected abstract UsbError SubmitCore();

    /// <summary>For a backend: asks for the pending transfer to end with Cancelled.</summary>
    protected abstract UsbError CancelCore();

    /// <summary>For a backend: the raw buffer (setup packet first for control), pinned.</summary>
    protected byte[] RawBuffer => _buffer;

    /// <summary>For a backend: where the data stage starts in <see cref="RawBuffer"/>.</summary>
    protected int DataOffset => _dataOffset;

    /// <summary>For a backend: the packets, to record each one's actual length and status before <see cref="Complete"/>.</summary>
    protected Span<UsbIsoPacket> IsoPacketResults => _iso;

    /// <summary>For a backend: ends the pending submission and releases its waiters. Runs no
    /// user code (awaiters continue on the thread pool), so it may be called under a backend
    /// lock. False when the transfer was not pending.</summary>
    protected bool Complete(UsbTransferStatus status, int actualLength)
    {
        CancellationTokenRegistration registration;
        lock (_stateLock)
        {
            if (State != UsbTransferState.Pending) return false;
            Status = status;
            ActualLength = actualLength;
            Volatile.Write(ref _state, (int)UsbTransferState.Completed);
            _done.Set();
            _core.SetResult(status);
            registration = _asyncCancellation;
            _asyncCancellation = default;
        }
        // Unregister, not Dispose: Dispose would wait for a cancellation callback that may be
        // blocked on the backend lock our caller holds.
        registration.Unregister();
        return true;
    }

    private int IsoTotalLength()
    {
        int total = 0;
        foreach (var p in _iso) total += p.Length;
        return total;
    }

    private void ThrowIfPending()
    {
        if (IsPending) throw new InvalidOperationException("the transfer is pending");
    }

    UsbTransferStatus IValueTaskSource<UsbTransferStatus>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<UsbTransferStatus>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<UsbTransferStatus>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
