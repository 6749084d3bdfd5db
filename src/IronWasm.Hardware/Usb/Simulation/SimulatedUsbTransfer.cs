namespace IronWasm.Hardware.Usb.Simulation;

/// <summary>A transfer on a simulated bus; its progress fields are guarded by the bus lock.</summary>
internal sealed class SimulatedUsbTransfer : UsbTransfer
{
    public SimulatedUsbTransfer(SimulatedUsbDeviceHandle handle, UsbTransferType type, byte endpoint, int capacity, int isoPacketCount)
        : base(type, endpoint, capacity, isoPacketCount)
    {
        Handle = handle;
    }

    public SimulatedUsbDeviceHandle Handle { get; }

    /// <summary>The endpoint whose queue holds it, or null when not queued.</summary>
    public SimulatedEndpoint? Queue { get; set; }
    public SimulatedUsbTransfer? Next { get; set; }

    /// <summary>Bumped per submission, so that events of an earlier one are recognised as stale.</summary>
    public int Generation { get; set; }

    /// <summary>Bytes to move in this submission.</summary>
    public int Total { get; set; }

    /// <summary>Bytes moved so far.</summary>
    public int Progress { get; set; }

    public int IsoIndex { get; set; }
    public int IsoOffset { get; set; }

    public long SubmittedAt { get; set; }

    /// <summary>Earliest bus time it can be on the wire (submission plus submit latency).</summary>
    public long NotBefore { get; set; }

    /// <summary>Bus time at which it completed or will complete (for tests of the timing model).</summary>
    public long CompletedAt { get; set; }

    /// <summary>Its first service happened (faults are decided then).</summary>
    public bool Serviced { get; set; }

    /// <summary>A timeout fault: the device never answers it.</summary>
    public bool Ignored { get; set; }

    /// <summary>Off the wire, waiting out the completion latency.</summary>
    public bool Finishing { get; set; }
    public UsbTransferStatus FinishingStatus { get; set; }

    /// <summary>When this submission times out; long.MaxValue for never.</summary>
    public long TimeoutDeadline { get; set; } = long.MaxValue;

    /// <summary>Time of this transfer's timeout event in the bus queue; long.MaxValue for none.</summary>
    public long TimeoutEventAt { get; set; } = long.MaxValue;

    /// <summary>Packets left before a disconnect fault unplugs the device; -1 for none.</summary>
    public int PacketsBeforeDisconnect { get; set; } = -1;

    public byte[] Raw => RawBuffer;
    public int DataStart => DataOffset;
    public Span<UsbIsoPacket> IsoResults => IsoPacketResults;

    public bool Finish(UsbTransferStatus status, int actualLength) => Complete(status, actualLength);

    protected override UsbError SubmitCore() => Handle.Attached.Bus.Submit(this);

    protected override UsbError CancelCore() => Handle.Attached.Bus.Cancel(this);
}
