namespace IronWasm.Hardware.Usb.Simulation;

/// <summary>An open simulated device: the operations of <see cref="UsbDeviceHandle"/> with
/// libusb's error codes, applied to the bus's state of the device under the bus lock.</summary>
internal sealed class SimulatedUsbDeviceHandle : UsbDeviceHandle
{
    private readonly bool[] _claimed = new bool[256];

    public SimulatedUsbDeviceHandle(AttachedUsbDevice device)
    {
        Attached = device;
    }

    public AttachedUsbDevice Attached { get; }

    public override IUsbDevice Device => Attached;

    private SimulatedUsbBus Bus => Attached.Bus;

    /// <summary>Under the bus lock.</summary>
    public bool HasClaimed(byte interfaceNumber) => interfaceNumber == SimulatedEndpoint.NoInterface || _claimed[interfaceNumber];

    public override UsbError GetConfiguration(out byte configurationValue)
    {
        configurationValue = 0;
        Bus.Enter();
        try
        {
            if (Check() is var e and not UsbError.Success) return e;
            configurationValue = Attached.ConfigurationValue;
            return UsbError.Success;
        }
        finally { Bus.Leave(); }
    }

    public override UsbError SetConfiguration(byte? configurationValue)
    {
        Bus.Enter();
        try
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (Array.IndexOf(_claimed, true) >= 0 || Attached.AnyKernelDriverBound()) return UsbError.Busy;
            return Attached.SelectConfiguration(configurationValue ?? 0);
        }
        finally { Bus.Leave(); }
    }

    public override UsbError ClaimInterface(byte interfaceNumber)
    {
        Bus.Enter();
        try
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (!Attached.HasInterface(interfaceNumber)) return UsbError.NotFound;
            if (_claimed[interfaceNumber]) return UsbError.Success;
            if (Attached.IsKernelDriverBound(interfaceNumber)) return UsbError.Busy;
            _claimed[interfaceNumber] = true;
            return UsbError.Success;
        }
        finally { Bus.Leave(); }
    }

    public override UsbError ReleaseInterface(byte interfaceNumber)
    {
        Bus.Enter();
        try
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (!_claimed[interfaceNumber]) return UsbError.NotFound;
            _claimed[interfaceNumber] = false;
            CancelInterface(interfaceNumber);
            return UsbError.Success;
        }
        finally { Bus.Leave(); }
    }

    public override UsbError SetInterfaceAltSetting(byte interfaceNumber, byte alternateSetting)
    {
        Bus.Enter();
        try
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (!_claimed[interfaceNumber]) return UsbError.NotFound;
            return Attached.SelectAlternateSetting(interfaceNumber, alternateSetting);
        }
        finally { Bus.Leave(); }
    }

    public override UsbError ClearHalt(byte endpoint)
    {
        Bus.Enter();
        try
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (Attached.FindEndpoint(endpoint) is not { } ep || !HasClaimed(ep.InterfaceNumber)) return UsbError.NotFound;
            if (ep.Address != 0) Bus.ClearHalt(ep);
            return UsbError.Success;
        }
        finally { Bus.Leave(); }
    }

    public override UsbError ResetDevice()
    {
        Bus.Enter();
        try
        {
            if (Check() is var e and not UsbError.Success) return e;
            Attached.Reset();
            return UsbError.Success;
        }
        finally { Bus.Leave(); }
    }

    // The simulated bus is USB 2.0: bulk streams need SuperSpeed.
    public override UsbError AllocStreams(uint streamCount, ReadOnlySpan<byte> endpoints, out uint allocated)
    {
        allocated = 0;
        return Status() is var e and not UsbError.Success ? e : UsbError.NotSupported;
    }

    public override UsbError FreeStreams(ReadOnlySpan<byte> endpoints) =>
        Status() is var e and not UsbError.Success ? e : UsbError.NotSupported;

    public override UsbError KernelDriverActive(byte interfaceNumber, out bool active)
    {
        active = false;
        Bus.Enter();
        try
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (!Attached.HasInterface(interfaceNumber)) return UsbError.InvalidParam;
            active = Attached.IsKernelDriverBound(interfaceNumber);
            return UsbError.Success;
        }
        finally { Bus.Leave(); }
    }

    public override UsbError DetachKernelDriver(byte interfaceNumber)
    {
        Bus.Enter();
        try
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (!Attached.HasInterface(interfaceNumber)) return UsbError.InvalidParam;
            if (!Attached.IsKernelDriverBound(interfaceNumber)) return UsbError.NotFound;
            Attached.SetKernelDriverBound(interfaceNumber, false);
            return UsbError.Success;
        }
        finally { Bus.Leave(); }
    }

    public override UsbError AttachKernelDriver(byte interfaceNumber)
    {
        Bus.Enter();
        try
        {
            if (Check() is var e and not UsbError.Success) return e;
            if (!Attached.HasInterface(interfaceNumber)) return UsbError.InvalidParam;
            if (!Attached.Model.HasKernelDriver(interfaceNumber)) return UsbError.NotFound;
            if (_claimed[interfaceNumber] || Attached.IsKernelDriverBound(interfaceNumber)) return UsbError.Busy;
            Attached.SetKernelDriverBound(interfaceNumber, true);
            return UsbError.Success;
        }
        finally { Bus.Leave(); }
    }

    public override UsbError AllocateTransfer(UsbTransferType type, byte endpoint, int capacity, int isoPacketCount, out UsbTransfer? transfer)
    {
        transfer = null;
        if (IsClosed) return UsbError.InvalidParam;
        var error = UsbTransfer.CheckAllocation(type, endpoint, capacity, isoPacketCount);
        if (error != UsbError.Success) return error;
        transfer = new SimulatedUsbTransfer(this, type, endpoint, capacity, isoPacketCount);
        return UsbError.Success;
    }

    protected override void Close()
    {
        Bus.Enter();
        try
        {
            for (int i = 0; i < _claimed.Length; i++)
            {
                if (!_claimed[i]) continue;
                _claimed[i] = false;
                CancelInterface((byte)i);
            }
            Bus.CancelQueued(Attached.Ep0, UsbTransferStatus.Cancelled, this);
            if (Attached.OpenHandle == this) Attached.OpenHandle = null;
        }
        finally { Bus.Leave(); }
    }

    private void CancelInterface(byte interfaceNumber)
    {
        foreach (var ep in Attached.Endpoints())
            if (ep.InterfaceNumber == interfaceNumber) Bus.CancelQueued(ep, UsbTransferStatus.Cancelled);
    }

    private UsbError Check() => IsClosed ? UsbError.InvalidParam : Attached.IsConnected ? UsbError.Success : UsbError.NoDevice;

    private UsbError Status()
    {
        lock (Bus.Gate) return Check();
    }
}
