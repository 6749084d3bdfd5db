using IronWasm.Components.Bindings;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb;
using Configuration = IronWasm.Hardware.Bindings.WasiUsb.Configuration;
using Device = IronWasm.Hardware.Bindings.WasiUsb.Device;
using LibusbError = IronWasm.Hardware.Bindings.WasiUsb.Errors.LibusbError;
using Transfers = IronWasm.Hardware.Bindings.WasiUsb.Transfers;

namespace IronWasm.Hardware.Hosts;

/// <summary>
/// A guest's open USB device (<c>device-handle</c>): the backend's handle and the policy lease.
/// Every call checks the lease first (revoked: <c>access</c>, and the device is closed); claims,
/// kernel-driver operations and control requests addressed to an interface need that interface
/// granted (<c>access</c>, audited). Transfers are pooled per handle, so a guest that makes a new
/// transfer for every round trip reuses the same backend transfer each time.
/// </summary>
internal sealed class UsbDeviceHandleObject : HostObject, Device.IDeviceHandle
{
    /// <summary>Idle transfers kept for reuse, at most this many.</summary>
    private const int PoolSize = 16;

    private readonly UsbDeviceHandle _handle;
    private readonly UsbLease _lease;
    private readonly List<UsbTransferObject> _pool = [];
    private readonly List<UsbTransferObject> _all = [];

    public UsbDeviceHandleObject(GuestScope scope, UsbDeviceHandle handle, UsbLease lease) : base(scope)
    {
        _handle = handle;
        _lease = lease;
    }

    public UsbLease Lease => _lease;

    public Result<byte, LibusbError> GetConfiguration()
    {
        if (Deny() is { } denied) return Result.Err(denied);
        var error = _handle.GetConfiguration(out byte value);
        return error == UsbError.Success ? Result.Ok(value) : Result.Err(UsbWit.ToWit(error));
    }

    public Result<Unit, LibusbError> SetConfiguration(Configuration.ConfigValue config)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        byte? value = config.Tag == Configuration.ConfigValue.Case.Value ? config.AsValue : null;
        return Done(_handle.SetConfiguration(value));
    }

    public Result<Unit, LibusbError> ClaimInterface(byte ifac)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        if (_lease.CheckInterface(ifac) != PolicyVerdict.Granted) return Result.Err(LibusbError.Access);
        var error = _handle.ClaimInterface(ifac);
        if (error != UsbError.Success) _lease.ReleaseInterface(ifac);
        return Done(error);
    }

    public Result<Unit, LibusbError> ReleaseInterface(byte ifac)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        var error = _handle.ReleaseInterface(ifac);
        if (error == UsbError.Success) _lease.ReleaseInterface(ifac);
        return Done(error);
    }

    public Result<Unit, LibusbError> SetInterfaceAltsetting(byte ifac, byte altSetting)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        return Done(_handle.SetInterfaceAltSetting(ifac, altSetting));
    }

    public Result<Unit, LibusbError> ClearHalt(byte endpoint)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        return Done(_handle.ClearHalt(endpoint));
    }

    public Result<Unit, LibusbError> ResetDevice()
    {
        if (Deny() is { } denied) return Result.Err(denied);
        return Done(_handle.ResetDevice());
    }

    public Result<Unit, LibusbError> AllocStreams(uint numStreams, ReadOnlySpan<byte> endpoints)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        return Done(_handle.AllocStreams(numStreams, endpoints, out _));
    }

    public Result<Unit, LibusbError> FreeStreams(ReadOnlySpan<byte> endpoints)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        return Done(_handle.FreeStreams(endpoints));
    }

    public Result<bool, LibusbError> KernelDriverActive(byte ifac)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        if (_lease.CheckInterfaceUse(ifac, "kernel-driver-active") != PolicyVerdict.Granted) return Result.Err(LibusbError.Access);
        var error = _handle.KernelDriverActive(ifac, out bool active);
        return error == UsbError.Success ? Result.Ok(active) : Result.Err(UsbWit.ToWit(error));
    }

    public Result<Unit, LibusbError> DetachKernelDriver(byte ifac)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        if (_lease.CheckInterfaceUse(ifac, "detach-kernel-driver") != PolicyVerdict.Granted) return Result.Err(LibusbError.Access);
        return Done(_handle.DetachKernelDriver(ifac));
    }

    public Result<Unit, LibusbError> AttachKernelDriver(byte ifac)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        if (_lease.CheckInterfaceUse(ifac, "attach-kernel-driver") != PolicyVerdict.Granted) return Result.Err(LibusbError.Access);
        return Done(_handle.AttachKernelDriver(ifac));
    }

    public Result<Transfers.ITransfer, LibusbError> NewTransfer(Transfers.TransferType xferType, Transfers.TransferSetup setup, uint bufSize, Transfers.TransferOptions opts)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        var type = UsbWit.ToBackend(xferType);
        byte endpoint = type == UsbTransferType.Control ? (byte)0 : opts.Endpoint;
        int packets = type == UsbTransferType.Isochronous ? (int)Math.Min(opts.IsoPackets, int.MaxValue) : 0;
        if (bufSize > UsbTransfer.MaxLength) return Result.Err(LibusbError.InvalidParam);
        if (UsbTransfer.CheckAllocation(type, endpoint, (int)bufSize, packets) is var check and not UsbError.Success) return Result.Err(UsbWit.ToWit(check));
        if (type == UsbTransferType.Control && (setup.BmRequestType & 0x1F) == (byte)UsbRequestRecipient.Interface
            && _lease.CheckInterfaceUse((byte)setup.WIndex, "control") != PolicyVerdict.Granted)
            return Result.Err(LibusbError.Access);

        var transfer = Rent(type, endpoint, (int)bufSize, packets, out var error);
        if (transfer is null) return Result.Err(UsbWit.ToWit(error));
        transfer.Prepare(setup, opts);
        return Result.Ok<Transfers.ITransfer>(transfer);
    }

    void Device.IDeviceHandle.Close() => Close();

    /// <summary>Why a call must be refused, or null: closed (the guest closed it, the host shut
    /// down: <c>no-device</c> for a shut-down host, else <c>invalid-param</c>) or a revoked lease (<c>access</c>).</summary>
    internal LibusbError? Deny()
    {
        if (IsClosed) return Host.IsDisposed ? LibusbError.NoDevice : LibusbError.InvalidParam;
        if (_lease.Check() == PolicyVerdict.Granted) return null;
        // Revoked: the guest loses the device at once, so another guest the new policy grants may open it.
        Close();
        return LibusbError.Access;
    }

    /// <summary>A transfer back from the guest (awaited, or dropped): idle again, kept for reuse.</summary>
    internal void Return(UsbTransferObject transfer)
    {
        lock (_pool)
        {
            if (!IsClosed && _pool.Count < PoolSize && !_pool.Contains(transfer))
            {
                _pool.Add(transfer);
                return;
            }
            _all.Remove(transfer);
        }
        transfer.Backend.Dispose();
    }

    private UsbTransferObject? Rent(UsbTransferType type, byte endpoint, int capacity, int packets, out UsbError error)
    {
        error = UsbError.Success;
        lock (_pool)
        {
            for (int i = _pool.Count - 1; i >= 0; i--)
            {
                var candidate = _pool[i].Backend;
                if (candidate.Type == type && candidate.Capacity == capacity && candidate.IsoPacketCount == packets && !candidate.IsPending)
                {
                    var found = _pool[i];
                    _pool.RemoveAt(i);
                    if (type != UsbTransferType.Control) candidate.Endpoint = endpoint;
                    return found;
                }
            }
        }
        try
        {
            error = _handle.AllocateTransfer(type, endpoint, capacity, packets, out var backend);
            if (error != UsbError.Success) return null;
            var transfer = new UsbTransferObject(this, backend!);
            lock (_pool) _all.Add(transfer);
            return transfer;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = UsbError.Io;
            return null;
        }
    }

    private static Result<Unit, LibusbError> Done(UsbError error) =>
        error == UsbError.Success ? Result.Ok() : Result.Err(UsbWit.ToWit(error));

    private protected override void OnClose()
    {
        UsbTransferObject[] transfers;
        lock (_pool)
        {
            transfers = [.. _all];
            _all.Clear();
            _pool.Clear();
        }
        // Closing the handle cancels what is pending, which wakes a guest waiting in await-transfer.
        try
        {
            _handle.Dispose();
        }
        finally
        {
            foreach (var transfer in transfers) transfer.Backend.Dispose();
            _lease.Dispose();
        }
    }
}
