using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb;
using GuestDevice = IronWasm.Hardware.Bindings.WasiUsb.Device.IUsbDevice;
using UsbHotplug = IronWasm.Hardware.Bindings.WasiUsb.UsbHotplug;

namespace IronWasm.Hardware.Hosts;

/// <summary>
/// One guest's hotplug subscription (<c>enable-hotplug</c>): the backend's arrivals and departures
/// of the devices the policy lets the guest see, queued until <c>poll-events</c>. Events of hidden
/// devices never enter the queue. At most <see cref="Capacity"/> events wait; beyond that the
/// oldest are dropped, so a guest that never polls cannot grow the host's memory.
/// </summary>
internal sealed class UsbHotplugQueue : HostObject
{
    public const int Capacity = 1024;

    private readonly Queue<(UsbHotplugEventKind Kind, IUsbDevice Device, UsbDeviceIdentity Identity)> _events = new();
    private readonly IDisposable _subscription;

    public UsbHotplugQueue(GuestScope scope, IUsbBackend backend) : base(scope)
    {
        // Devices present now are not events: the guest lists them with list-devices.
        _subscription = backend.SubscribeHotplug(OnEvent);
    }

    /// <summary>Dropped because the queue was full.</summary>
    public long Dropped { get; private set; }

    public (UsbHotplug.Event, UsbHotplug.Info, GuestDevice)[] Drain()
    {
        lock (_events)
        {
            if (_events.Count == 0) return [];
            var result = new (UsbHotplug.Event, UsbHotplug.Info, GuestDevice)[_events.Count];
            for (int i = 0; i < result.Length; i++)
            {
                var (kind, device, identity) = _events.Dequeue();
                var location = device.Location;
                var info = new UsbHotplug.Info(location.BusNumber, location.DeviceAddress, identity.VendorId, identity.ProductId);
                var what = kind == UsbHotplugEventKind.Arrived ? UsbHotplug.Event.Arrived : UsbHotplug.Event.Left;
                result[i] = (what, info, new UsbDeviceEntry(Scope, device, identity));
            }
            return result;
        }
    }

    private void OnEvent(UsbHotplugEvent e)
    {
        if (IsClosed) return;
        var identity = UsbDeviceIdentity.Of(e.Device);
        if (!Host.Policy.IsUsbDeviceVisible(Scope.Guest, identity)) return;
        lock (_events)
        {
            if (_events.Count == Capacity)
            {
                _events.Dequeue();
                Dropped++;
            }
            _events.Enqueue((e.Kind, e.Device, identity));
        }
    }

    private protected override void OnClose()
    {
        _subscription.Dispose();
        lock (_events) _events.Clear();
    }
}
