namespace IronWasm.Hardware.Usb;

/// <summary>An open device (libusb_device_handle). Backends implement the operations; the
/// synchronous transfer helpers here run on reusable transfers of the backend, so they
/// allocate nothing once warm. Every operation on a disposed handle gives
/// <see cref="UsbError.InvalidParam"/>, on a device that has left <see cref="UsbError.NoDevice"/>.
/// Thread-safe.</summary>
public abstract class UsbDeviceHandle : IDisposable
{
    // One cached transfer per type for the synchronous helpers; taken with an exchange so that
    // concurrent callers each get their own (the loser allocates a fresh one).
    private readonly UsbTransfer?[] _syncTransfers = new UsbTransfer?[4];
    private int _closed;

    public abstract IUsbDevice Device { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>bConfigurationValue of the active configuration; 0 when unconfigured.</summary>
    public abstract UsbError GetConfiguration(out byte configurationValue);

    /// <summary>Selects configuration <paramref name="configurationValue"/>, or unconfigures the
    /// device with null. <see cref="UsbError.Busy"/> while an interface is claimed or bound to a
    /// kernel driver; <see cref="UsbError.NotFound"/> for a value no configuration has.</summary>
    public abstract UsbError SetConfiguration(byte? configurationValue);

    /// <summary>Claims an interface of the active configuration for I/O. <see cref="UsbError.NotFound"/>
    /// no such interface; <see cref="UsbError.Busy"/> a kernel driver holds it (detach it first).
    /// Claiming an interface this handle holds already succeeds.</summary>
    public abstract UsbError ClaimInterface(byte interfaceNumber);

    /// <summary>Releases a claimed interface; its pending transfers are cancelled.
    /// <see cref="UsbError.NotFound"/> when it was not claimed.</summary>
    public abstract UsbError ReleaseInterface(byte interfaceNumber);

    /// <summary>Selects an alternate setting of a claimed interface (SET_INTERFACE); pending
    /// transfers on its endpoints are cancelled. <see cref="UsbError.NotFound"/> when the
    /// interface is not claimed or has no such setting.</summary>
    public abstract UsbError SetInterfaceAltSetting(byte interfaceNumber, byte alternateSetting);

    /// <summary>Clears a halt (stall) on an endpoint of a claimed interface (CLEAR_FEATURE(ENDPOINT_HALT)).</summary>
    public abstract UsbError ClearHalt(byte endpoint);

    /// <summary>Resets the port: pending transfers end, the device returns to its configured
    /// state with alternate settings 0; claims survive, as with libusb on Linux.</summary>
    public abstract UsbError ResetDevice();

    /// <summary>Allocates USB 3 bulk streams on <paramref name="endpoints"/>; <paramref name="allocated"/>
    /// may be fewer than asked. <see cref="UsbError.NotSupported"/> below SuperSpeed.</summary>
    public abstract UsbError AllocStreams(uint streamCount, ReadOnlySpan<byte> endpoints, out uint allocated);

    public abstract UsbError FreeStreams(ReadOnlySpan<byte> endpoints);

    /// <summary>Whether a kernel driver is bound to the interface. <see cref="UsbError.InvalidParam"/> no such interface.</summary>
    public abstract UsbError KernelDriverActive(byte interfaceNumber, out bool active);

    /// <summary>Unbinds the kernel driver. <see cref="UsbError.NotFound"/> none is bound;
    /// <see cref="UsbError.InvalidParam"/> no such interface.</summary>
    public abstract UsbError DetachKernelDriver(byte interfaceNumber);

    /// <summary>Binds the kernel driver again. <see cref="UsbError.NotFound"/> there is none for it;
    /// <see cref="UsbError.Busy"/> the interface is claimed or the driver is bound already.</summary>
    public abstract UsbError AttachKernelDriver(byte interfaceNumber);

    /// <summary>Makes a reusable transfer for <paramref name="endpoint"/> (0 for control) with a
    /// buffer of <paramref name="capacity"/> bytes (for control, not counting the setup packet)
    /// and, for isochronous transfers, <paramref name="isoPacketCount"/> packets.
    /// <see cref="UsbError.InvalidParam"/> for impossible dimensions (over
    /// <see cref="UsbTransfer.MaxLength"/>, control beyond 65535 bytes, over
    /// <see cref="UsbTransfer.MaxIsoPackets"/> packets). The endpoint is checked at submission.</summary>
    public abstract UsbError AllocateTransfer(UsbTransferType type, byte endpoint, int capacity, int isoPacketCount, out UsbTransfer? transfer);

    /// <summary>A control transfer with a data stage of <paramref name="data"/>'s length (wLength),
    /// in the direction bit 7 of <paramref name="requestType"/> says; waits for it.</summary>
    public UsbError ControlTransfer(byte requestType, byte request, ushort value, ushort index, Span<byte> data, uint timeoutMilliseconds, out int transferred)
    {
        transferred = 0;
        if (data.Length > ushort.MaxValue) return UsbError.InvalidParam;
        var error = Rent(UsbTransferType.Control, 0, data.Length, out var t);
        if (error != UsbError.Success) return error;
        var setup = new UsbSetupPacket(requestType, request, value, index, (ushort)data.Length);
        t!.Setup = setup;
        if (!setup.IsDeviceToHost) data.CopyTo(t.Buffer);
        error = Run(t, timeoutMilliseconds, setup.IsDeviceToHost ? data : default, out transferred);
        Return(t);
        return error;
    }

    /// <summary>A bulk transfer on <paramref name="endpoint"/>: sends <paramref name="data"/> to
    /// an OUT endpoint, or fills it from an IN endpoint; waits for it. On a timeout the bytes
    /// moved before it are counted in <paramref name="transferred"/>.</summary>
    public UsbError BulkTransfer(byte endpoint, Span<byte> data, uint timeoutMilliseconds, out int transferred) =>
        DataTransfer(UsbTransferType.Bulk, endpoint, data, timeoutMilliseconds, out transferred);

    /// <summary>An interrupt transfer, as <see cref="BulkTransfer"/>.</summary>
    public UsbError InterruptTransfer(byte endpoint, Span<byte> data, uint timeoutMilliseconds, out int transferred) =>
        DataTransfer(UsbTransferType.Interrupt, endpoint, data, timeoutMilliseconds, out transferred);

    /// <summary>Reads string descriptor <paramref name="index"/> in the device's first language
    /// (GET_DESCRIPTOR(STRING)). <see cref="UsbError.NotFound"/> for index 0.</summary>
    public UsbError GetStringDescriptor(byte index, out string? value)
    {
        value = null;
        if (index == 0) return UsbError.NotFound;
        Span<byte> buffer = stackalloc byte[255];
        byte getDescriptor = UsbSetupPacket.MakeRequestType(true, UsbRequestKind.Standard, UsbRequestRecipient.Device);
        var error = ControlTransfer(getDescriptor, UsbStandard.GetDescriptor, UsbStandard.DescriptorString << 8, 0, buffer, 1000, out int n);
        if (error != UsbError.Success) return error;
        if (n < 4) return UsbError.Io;
        ushort language = (ushort)(buffer[2] | buffer[3] << 8);
        error = ControlTransfer(getDescriptor, UsbStandard.GetDescriptor, (ushort)(UsbStandard.DescriptorString << 8 | index), language, buffer, 1000, out n);
        if (error != UsbError.Success) return error;
        return UsbDescriptorCodec.TryParseString(buffer[..n], out value) ? UsbError.Success : UsbError.Io;
    }

    /// <summary>Closes the handle: pending transfers are cancelled, claimed interfaces released,
    /// and the device may be opened again. Closing twice is harmless.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        Close();
        for (int i = 0; i < _syncTransfers.Length; i++) Interlocked.Exchange(ref _syncTransfers[i], null)?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>For a backend: releases the device (the handle is already marked closed).</summary>
    protected abstract void Close();

    private UsbError DataTransfer(UsbTransferType type, byte endpoint, Span<byte> data, uint timeoutMilliseconds, out int transferred)
    {
        transferred = 0;
        if (!UsbTransfer.IsValidEndpointAddress(endpoint)) return UsbError.InvalidParam;
        var error = Rent(type, endpoint, data.Length, out var t);
        if (error != UsbError.Success) return error;
        t!.Length = data.Length;
        bool isIn = (endpoint & 0x80) != 0;
        if (!isIn) data.CopyTo(t.Buffer);
        error = Run(t, timeoutMilliseconds, isIn ? data : default, out transferred);
        Return(t);
        return error;
    }

    private static UsbError Run(UsbTransfer t, uint timeoutMilliseconds, Span<byte> into, out int transferred)
    {
        t.TimeoutMilliseconds = timeoutMilliseconds;
        transferred = 0;
        var error = t.Submit();
        if (error != UsbError.Success) return error;
        var status = t.Wait();
        transferred = t.ActualLength;
        if (!into.IsEmpty) t.ActualData.CopyTo(into);
        return status.ToError();
    }

    private UsbError Rent(UsbTransferType type, byte endpoint, int length, out UsbTransfer? transfer)
    {
        if (IsClosed)
        {
            transfer = null;
            return UsbError.InvalidParam;
        }
        transfer = Interlocked.Exchange(ref _syncTransfers[(int)type], null);
        if (transfer is not null && transfer.Capacity >= length)
        {
            transfer.Endpoint = endpoint;
            return UsbError.Success;
        }
        transfer?.Dispose();
        // Round up so that a caller whose lengths vary a little does not reallocate each time.
        int capacity = Math.Max(64, (int)Math.Min(UsbTransfer.MaxLength, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(length, 1))));
        if (type == UsbTransferType.Control) capacity = Math.Min(capacity, ushort.MaxValue);
        return AllocateTransfer(type, endpoint, capacity, 0, out transfer);
    }

    private void Return(UsbTransfer transfer)
    {
        var displaced = Interlocked.Exchange(ref _syncTransfers[(int)transfer.Type], transfer);
        displaced?.Dispose();
        // A handle closed meanwhile must not keep a transfer alive.
        if (IsClosed) Interlocked.Exchange(ref _syncTransfers[(int)transfer.Type], null)?.Dispose();
    }
}
