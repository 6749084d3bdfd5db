using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation.Devices;
using static IronWasm.Hardware.Tests.Usb.UsbTestKit;

namespace IronWasm.Hardware.Tests.Usb;

public class HotplugTests
{
    [Fact]
    public void Subscribers_see_arrivals_and_departures_of_the_same_device_object()
    {
        using var usb = ZeroLatency();
        var events = new List<UsbHotplugEvent>();
        using var subscription = usb.SubscribeHotplug(events.Add);
        var echo = new EchoDevice();
        var device = usb.Plug(echo);
        usb.Unplug(echo);
        Assert.Equal([new UsbHotplugEvent(UsbHotplugEventKind.Arrived, device), new UsbHotplugEvent(UsbHotplugEventKind.Left, device)], events);
        Assert.True(usb.SupportsHotplug);
    }

    [Fact]
    public void A_subscription_can_start_with_the_devices_already_present()
    {
        using var usb = ZeroLatency();
        var a = usb.Plug(new EchoDevice("a"));
        var b = usb.Plug(new GamepadDevice());
        var events = new List<UsbHotplugEvent>();
        using var subscription = usb.SubscribeHotplug(events.Add, enumerateExisting: true);
        Assert.Equal([a, b], events.Select(e => e.Device));
        Assert.All(events, e => Assert.Equal(UsbHotplugEventKind.Arrived, e.Kind));
    }

    [Fact]
    public void A_disposed_subscription_hears_nothing_more()
    {
        using var usb = ZeroLatency();
        int heard = 0;
        var subscription = usb.SubscribeHotplug(_ => heard++);
        usb.Plug(new EchoDevice("a"));
        subscription.Dispose();
        usb.Plug(new EchoDevice("b"));
        Assert.Equal(1, heard);
    }

    [Fact]
    public void A_throwing_handler_does_not_stop_plugging_or_other_handlers()
    {
        using var usb = ZeroLatency();
        int heard = 0;
        using var bad = usb.SubscribeHotplug(_ => throw new InvalidOperationException("boom"));
        using var good = usb.SubscribeHotplug(_ => heard++);
        usb.Plug(new EchoDevice());
        Assert.Equal(1, heard);
    }

    [Fact]
    public void Unplugging_ends_pending_transfers_with_no_device_and_the_listing_forgets_the_device()
    {
        using var usb = ZeroLatency();
        var echo = new EchoDevice();
        var device = usb.Plug(echo);
        using var h = OpenAndClaim(device, 0);
        var read = Allocate(h, UsbTransferType.Bulk, EchoDevice.BulkIn, 512);
        SubmitIn(read, 512);
        usb.Unplug(echo);
        Assert.Equal(UsbTransferStatus.NoDevice, read.Wait());
        Assert.Equal(UsbError.NoDevice, read.Submit());
        var list = new List<IUsbDevice>();
        usb.GetDevices(list);
        Assert.Empty(list);
        Assert.False(echo.IsPlugged);
        Assert.Null(echo.Attachment);
        usb.Unplug(echo);
    }

    [Fact]
    public void A_replugged_device_is_a_new_device_and_the_old_handle_stays_dead()
    {
        using var usb = ZeroLatency();
        var echo = new EchoDevice();
        var before = usb.Plug(echo);
        using var old = OpenAndClaim(before, 0);
        usb.Unplug(echo);
        var after = usb.Plug(echo);
        Assert.NotSame(before, after);
        Assert.Equal(UsbError.NoDevice, old.BulkTransfer(EchoDevice.BulkOut, Pattern(4), 100, out _));
        using var fresh = OpenAndClaim(after, 0);
        Assert.Equal(UsbError.Success, fresh.BulkTransfer(EchoDevice.BulkOut, Pattern(4), 100, out _));
        Assert.Same(after, echo.Attachment);
    }

    [Fact]
    public void Disposing_the_backend_unplugs_everything_and_reports_it()
    {
        var usb = ZeroLatency();
        var events = new List<UsbHotplugEvent>();
        var device = usb.Plug(new EchoDevice());
        usb.SubscribeHotplug(events.Add);
        usb.Dispose();
        Assert.False(device.IsConnected);
        Assert.Equal(UsbHotplugEventKind.Left, Assert.Single(events).Kind);
        Assert.Throws<ObjectDisposedException>(() => usb.Plug(new EchoDevice("x")));
    }
}
