using IronWasm.Hardware.Simulation;

namespace IronWasm.Hardware.Usb.Simulation;

public enum UsbFaultKind : byte
{
    /// <summary>The endpoint stalls: the transfer ends with <see cref="UsbTransferStatus.Stall"/>
    /// and a bulk or interrupt endpoint stays halted until the host clears it. A control
    /// request stalls alone; an isochronous transfer (which has no handshake) completes with
    /// every packet's status Stall.</summary>
    Stall,
    /// <summary>The device never answers the transfer: it ends with
    /// <see cref="UsbTransferStatus.TimedOut"/> when its timeout expires (never, without one,
    /// until cancelled); transfers queued behind it on the endpoint wait.</summary>
    Timeout,
    /// <summary>The device is unplugged while the transfer is on the wire, after half its
    /// packets: it and every other pending transfer of the device end with
    /// <see cref="UsbTransferStatus.NoDevice"/>, and hotplug reports the departure.</summary>
    Disconnect,
}

/// <summary>A fault to inject into a simulated device: what happens, on which endpoint address
/// (null: any, 0: control requests), and when, counted over the transfers on that endpoint as
/// they reach the bus.</summary>
public sealed record UsbFault(UsbFaultKind Kind, FaultTrigger Trigger, byte? Endpoint = null)
{
    public override string ToString() =>
        $"{Kind.ToString().ToLowerInvariant()} {(Endpoint is { } e ? $"on endpoint 0x{e:x2}" : "on every endpoint")}, {Trigger}";
}

/// <summary>An injected fault; disposing it removes it from its device.</summary>
public sealed class UsbFaultHandle : IDisposable
{
    private readonly SimulatedUsbDevice _device;
    private readonly FaultTriggerState _trigger;

    internal UsbFaultHandle(SimulatedUsbDevice device, UsbFault fault)
    {
        _device = device;
        Fault = fault;
        _trigger = new FaultTriggerState(fault.Trigger);
    }

    public UsbFault Fault { get; }

    /// <summary>How many transfers it has hit.</summary>
    public long Fired => _trigger.Fired;

    public void Dispose() => _device.RemoveFault(this);

    /// <summary>Called under the bus lock as a transfer on <paramref name="endpoint"/> reaches the bus.</summary>
    internal bool Fires(byte endpoint) => (Fault.Endpoint is not { } e || e == endpoint) && _trigger.Next();
}
