using IronWasm.Hardware.Usb;

namespace IronWasm.Hardware.Linux.Usb;

/// <summary>A libusb_device_handle. Its operations are the libusb calls of the same names, with
/// the checks the abstraction promises on top: claims are tracked here so that a transfer or a
/// clear-halt on an endpoint of an interface not claimed gives NotFound (usbfs would claim the
/// interface silently), and raw SET_CONFIGURATION / SET_INTERFACE requests stall (they must go
/// through the handle, which keeps the claim bookkeeping right).</summary>
internal sealed unsafe class LibusbDeviceHandle : UsbDeviceHandle
{
    private readonly LibusbBackend _backend;
    // Guards the native handle against close, and the claim bookkeeping.
    private readonly Lock _gate = new();
    private readonly bool[] _claimed = new bool[256];
    private readonly byte[] _alternate = new byte[256];
    // Endpoints (number | 0x10 for IN) of the claimed interfaces' current alternate settings.
    private readonly bool[] _claimedEndpoints = new bool[32];
    private readonly List<LibusbTransfer> _transfers = [];
    private UsbConfigurationDescriptor? _active;
    private nint _native;

    public LibusbDeviceHandle(LibusbBackend backend, LibusbDevice device, nint native)
    {
        _backend = backend;
        LibusbDevice = device;
        _native = native;
        RefreshActiveConfiguration();
    }

    public LibusbDevice LibusbDevice { get; }

    public override IUsbDevice Device => LibusbDevice;

    internal LibusbLibrary Library => _backend.Library;

    private LibusbLibrary Lib => _backend.Library;

    internal static int EndpointSlot(byte endpoint) => (endpoint & 0x0F) | ((endpoint & 0x80) >> 3);

    public override UsbError GetConfiguration(out byte configurationValue)
    {
        configurationValue = 0;
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            int value;
            int r = Lib.get_configuration(_native, &value);
            if (r < 0) return LibusbLibrary.ToError(r);
            configurationValue = (byte)value;
            return UsbError.Success;
        }
    }

    public override UsbError SetConfiguration(byte? configurationValue)
    {
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (Array.IndexOf(_claimed, true) >= 0) return UsbError.Busy;
            // 0 unconfigures, as on the simulated bus and in SET_CONFIGURATION itself; libusb says -1.
            if (configurationValue is { } v and not 0 && !LibusbDevice.Configurations.Any(c => c.ConfigurationValue == v)) return UsbError.NotFound;
            int r = Lib.set_configuration(_native, configurationValue is null or 0 ? -1 : configurationValue.Value);
            RefreshActiveConfiguration();
            return LibusbLibrary.ToError(r);
        }
    }

    public override UsbError ClaimInterface(byte interfaceNumber)
    {
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            int r = Lib.claim_interface(_native, interfaceNumber);
            if (r < 0) return LibusbLibrary.ToError(r);
            if (!_claimed[interfaceNumber])
            {
                _claimed[interfaceNumber] = true;
                _alternate[interfaceNumber] = 0;
                RebuildEndpoints();
            }
            return UsbError.Success;
        }
    }

    public override UsbError ReleaseInterface(byte interfaceNumber)
    {
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (!_claimed[interfaceNumber]) return UsbError.NotFound;
            CancelOn(interfaceNumber);
            _claimed[interfaceNumber] = false;
            RebuildEndpoints();
            return LibusbLibrary.ToError(Lib.release_interface(_native, interfaceNumber));
        }
    }

    public override UsbError SetInterfaceAltSetting(byte interfaceNumber, byte alternateSetting)
    {
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (!_claimed[interfaceNumber]) return UsbError.NotFound;
            if (_active?.FindInterface(interfaceNumber, alternateSetting) is null) return UsbError.NotFound;
            CancelOn(interfaceNumber);
            int r = Lib.set_interface_alt_setting(_native, interfaceNumber, alternateSetting);
            if (r < 0) return LibusbLibrary.ToError(r);
            _alternate[interfaceNumber] = alternateSetting;
            RebuildEndpoints();
            return UsbError.Success;
        }
    }

    public override UsbError ClearHalt(byte endpoint)
    {
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (!UsbTransfer.IsValidEndpointAddress(endpoint) || !_claimedEndpoints[EndpointSlot(endpoint)]) return UsbError.NotFound;
            return LibusbLibrary.ToError(Lib.clear_halt(_native, endpoint));
        }
    }

    public override UsbError ResetDevice()
    {
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            int r = Lib.reset_device(_native);
            // libusb re-claims the interfaces after the reset; alternate settings are back to 0.
            Array.Clear(_alternate);
            RefreshActiveConfiguration();
            return LibusbLibrary.ToError(r);
        }
    }

    public override UsbError AllocStreams(uint streamCount, ReadOnlySpan<byte> endpoints, out uint allocated)
    {
        allocated = 0;
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (endpoints.IsEmpty || streamCount == 0) return UsbError.InvalidParam;
            foreach (byte ep in endpoints)
                if (!UsbTransfer.IsValidEndpointAddress(ep) || !_claimedEndpoints[EndpointSlot(ep)]) return UsbError.NotFound;
            fixed (byte* p = endpoints)
            {
                int r = Lib.alloc_streams(_native, streamCount, p, endpoints.Length);
                if (r < 0) return LibusbLibrary.ToError(r);
                allocated = (uint)r;
                return UsbError.Success;
            }
        }
    }

    public override UsbError FreeStreams(ReadOnlySpan<byte> endpoints)
    {
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (endpoints.IsEmpty) return UsbError.InvalidParam;
            fixed (byte* p = endpoints) return LibusbLibrary.ToError(Lib.free_streams(_native, p, endpoints.Length));
        }
    }

    public override UsbError KernelDriverActive(byte interfaceNumber, out bool active)
    {
        active = false;
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (_active?.HasInterface(interfaceNumber) != true) return UsbError.InvalidParam;
            int r = Lib.kernel_driver_active(_native, interfaceNumber);
            if (r < 0) return LibusbLibrary.ToError(r);
            active = r == 1;
            return UsbError.Success;
        }
    }

    public override UsbError DetachKernelDriver(byte interfaceNumber)
    {
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (_active?.HasInterface(interfaceNumber) != true) return UsbError.InvalidParam;
            return LibusbLibrary.ToError(Lib.detach_kernel_driver(_native, interfaceNumber));
        }
    }

    public override UsbError AttachKernelDriver(byte interfaceNumber)
    {
        lock (_gate)
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (_active?.HasInterface(interfaceNumber) != true) return UsbError.InvalidParam;
            if (_claimed[interfaceNumber]) return UsbError.Busy;
            return LibusbLibrary.ToError(Lib.attach_kernel_driver(_native, interfaceNumber));
        }
    }

    public override UsbError AllocateTransfer(UsbTransferType type, byte endpoint, int capacity, int isoPacketCount, out UsbTransfer? transfer)
    {
        transfer = null;
        var error = UsbTransfer.CheckAllocation(type, endpoint, capacity, isoPacketCount);
        if (error != UsbError.Success) return error;
        lock (_gate)
        {
            if (IsClosed) return UsbError.InvalidParam;
            var made = LibusbTransfer.Create(this, type, endpoint, capacity, isoPacketCount);
            if (made is null) return UsbError.NoMem;
            _transfers.Add(made);
            transfer = made;
            return UsbError.Success;
        }
    }

    /// <summary>From <see cref="LibusbTransfer"/>: fills and submits it under the gate, so that
    /// a close cannot slip between the check and libusb_submit_transfer.</summary>
    internal UsbError Submit(LibusbTransfer transfer)
    {
        lock (_gate)
        {
            if (IsClosed) return UsbError.InvalidParam;
            if (!LibusbDevice.IsConnected) return UsbError.NoDevice;
            if (transfer.Type == UsbTransferType.Control)
            {
                var setup = transfer.Setup;
                if (IsConfigurationChange(setup))
                {
                    transfer.Finish(UsbTransferStatus.Stall);
                    return UsbError.Success;
                }
                if (setup.Kind != UsbRequestKind.Standard || setup.Recipient != UsbRequestRecipient.Device)
                {
                    // usbfs would claim an unclaimed interface for a request addressed to it.
                    if (setup.Recipient == UsbRequestRecipient.Interface && !_claimed[setup.Index & 0xFF]) return UsbError.NotFound;
                    if (setup.Recipient == UsbRequestRecipient.Endpoint && (setup.Index & 0x0F) != 0
                        && !_claimedEndpoints[EndpointSlot((byte)setup.Index)]) return UsbError.NotFound;
                }
            }
            else if (!_claimedEndpoints[EndpointSlot(transfer.Endpoint)])
            {
                return UsbError.NotFound;
            }
            return transfer.SubmitNative(_native);
        }
    }

    internal void Forget(LibusbTransfer transfer)
    {
        lock (_gate) _transfers.Remove(transfer);
    }

    protected override void Close()
    {
        LibusbTransfer[] transfers;
        lock (_gate) transfers = [.. _transfers];
        foreach (var t in transfers) t.Cancel();
        // libusb_close with transfers in flight frees memory the kernel still writes to.
        foreach (var t in transfers) t.Dispose();
        lock (_gate)
        {
            for (int i = 0; i < _claimed.Length; i++)
            {
                if (!_claimed[i]) continue;
                _claimed[i] = false;
                Lib.release_interface(_native, i);
            }
            Array.Clear(_claimedEndpoints);
            Lib.close(_native);
            _native = 0;
        }
        _backend.Closed(this);
    }

    private static bool IsConfigurationChange(UsbSetupPacket setup) =>
        setup.Kind == UsbRequestKind.Standard && !setup.IsDeviceToHost
        && ((setup.Request == UsbStandard.SetConfiguration && setup.Recipient == UsbRequestRecipient.Device)
            || (setup.Request == UsbStandard.SetInterface && setup.Recipient == UsbRequestRecipient.Interface));

    /// <summary>Under the gate.</summary>
    private UsbError Check() => IsClosed || _native == 0 ? UsbError.InvalidParam : LibusbDevice.IsConnected ? UsbError.Success : UsbError.NoDevice;

    /// <summary>Under the gate: cancels pending transfers on the interface's current endpoints.</summary>
    private void CancelOn(byte interfaceNumber)
    {
        if (_active?.FindInterface(interfaceNumber, _alternate[interfaceNumber]) is not { } setting) return;
        foreach (var t in _transfers)
        {
            if (!t.IsPending || t.Type == UsbTransferType.Control) continue;
            foreach (var ep in setting.Endpoints)
                if (ep.Address == t.Endpoint) t.Cancel();
        }
    }

    /// <summary>Under the gate (or in the constructor).</summary>
    private void RefreshActiveConfiguration()
    {
        _active = LibusbDevice.GetActiveConfiguration(out var c) == UsbError.Success ? c : null;
        RebuildEndpoints();
    }

    private void RebuildEndpoints()
    {
        Array.Clear(_claimedEndpoints);
        if (_active is null) return;
        for (int i = 0; i < _claimed.Length; i++)
        {
            if (!_claimed[i] || _active.FindInterface((byte)i, _alternate[i]) is not { } setting) continue;
            foreach (var ep in setting.Endpoints) _claimedEndpoints[EndpointSlot(ep.Address)] = true;
        }
    }
}
