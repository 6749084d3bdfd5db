using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using static IronWasm.Hardware.Tests.Usb.UsbTestKit;

namespace IronWasm.Hardware.Tests.Usb;

public class UsbFaultTests : IDisposable
{
    private readonly SimulatedUsbBackend _usb = ZeroLatency();
    private readonly EchoDevice _echo = new();
    private readonly UsbDeviceHandle _h;

    public UsbFaultTests()
    {
        _h = OpenAndClaim(_usb.Plug(_echo), EchoDevice.DataInterface, EchoDevice.IsochronousInterface);
    }

    public void Dispose()
    {
        _h.Dispose();
        _usb.Dispose();
    }

    private UsbError Ping(int length = 16)
    {
        var e = _h.BulkTransfer(EchoDevice.BulkOut, Pattern(length), 100, out _);
        return e != UsbError.Success ? e : _h.BulkTransfer(EchoDevice.BulkIn, new byte[512], 100, out _);
    }

    [Fact]
    public void A_stall_halts_the_endpoint_until_the_host_clears_it()
    {
        using var fault = _echo.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.Once, EchoDevice.BulkOut));
        Assert.Equal(UsbError.Pipe, _h.BulkTransfer(EchoDevice.BulkOut, Pattern(8), 100, out _));
        Assert.Equal(UsbError.Pipe, _h.BulkTransfer(EchoDevice.BulkOut, Pattern(8), 100, out _));
        Assert.Equal(1, fault.Fired);
        Assert.Equal(UsbError.Success, _h.ClearHalt(EchoDevice.BulkOut));
        Assert.Equal(UsbError.Success, Ping());
    }

    [Fact]
    public void A_stalled_control_request_fails_alone()
    {
        using var fault = _echo.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.Once, 0));
        byte request = ControlIn(UsbRequestKind.Vendor, UsbRequestRecipient.Device);
        Assert.Equal(UsbError.Pipe, _h.ControlTransfer(request, EchoDevice.EchoRequest, 0, 0, new byte[4], 100, out _));
        Assert.Equal(UsbError.Success, _h.ControlTransfer(request, EchoDevice.EchoRequest, 0, 0, new byte[4], 100, out _));
        Assert.Equal(UsbError.Success, Ping());
    }

    [Fact]
    public void A_fault_fires_every_nth_transfer_on_its_endpoint_only()
    {
        using var fault = _echo.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.EveryNth(3), EchoDevice.BulkIn));
        var results = new List<UsbError>();
        for (int i = 0; i < 6; i++)
        {
            results.Add(Ping());
            Assert.Equal(UsbError.Success, _h.ClearHalt(EchoDevice.BulkIn));
        }
        Assert.Equal([UsbError.Success, UsbError.Success, UsbError.Pipe, UsbError.Success, UsbError.Success, UsbError.Pipe], results);
        Assert.Equal(2, fault.Fired);
    }

    [Fact]
    public void A_removed_fault_no_longer_fires()
    {
        var fault = _echo.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.Always));
        Assert.Single(_echo.Faults);
        fault.Dispose();
        Assert.Empty(_echo.Faults);
        Assert.Equal(UsbError.Success, Ping());
        _echo.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.Always));
        _echo.ClearFaults();
        Assert.Equal(UsbError.Success, Ping());
    }

    [Fact]
    public void A_timeout_fault_leaves_the_transfer_unanswered_until_its_timeout()
    {
        using var usb = Timed(out var clock);
        var echo = new EchoDevice();
        using var h = OpenAndClaim(usb.Plug(echo), 0);
        using var fault = echo.InjectFault(new UsbFault(UsbFaultKind.Timeout, FaultTrigger.Once, EchoDevice.BulkOut));
        var first = Allocate(h, UsbTransferType.Bulk, EchoDevice.BulkOut, 8);
        first.TimeoutMilliseconds = 10;
        Submit(first, Pattern(8));
        var second = Allocate(h, UsbTransferType.Bulk, EchoDevice.BulkOut, 8);
        Submit(second, Pattern(8, 2));
        clock.Advance(TimeSpan.FromMilliseconds(9.9));
        Assert.True(first.IsPending);
        Assert.True(second.IsPending);   // queued behind the unanswered one
        clock.Advance(TimeSpan.FromMilliseconds(0.2));
        Assert.Equal(UsbTransferStatus.TimedOut, first.Status);
        Assert.Equal(0, first.ActualLength);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(UsbTransferStatus.Completed, second.Status);
    }

    [Fact]
    public void Without_a_timeout_an_unanswered_transfer_waits_until_cancelled()
    {
        using var fault = _echo.InjectFault(new UsbFault(UsbFaultKind.Timeout, FaultTrigger.Always, EchoDevice.BulkOut));
        var t = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkOut, 8);
        Submit(t, Pattern(8));
        Assert.True(t.IsPending);
        Assert.Equal(UsbError.Success, t.Cancel());
        Assert.Equal(UsbTransferStatus.Cancelled, t.Wait());
    }

    [Fact]
    public void A_disconnect_mid_transfer_ends_it_and_every_other_pending_transfer_with_no_device()
    {
        var events = new List<UsbHotplugEvent>();
        using var subscription = _usb.SubscribeHotplug(events.Add);
        var device = _echo.Attachment!;
        var waiting = Allocate(_h, UsbTransferType.Interrupt, EchoDevice.InterruptIn, 64);
        SubmitIn(waiting, 64);
        using var fault = _echo.InjectFault(new UsbFault(UsbFaultKind.Disconnect, FaultTrigger.Once, EchoDevice.BulkOut));
        var big = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkOut, 2048);
        Submit(big, Pattern(2048));
        Assert.Equal(UsbTransferStatus.NoDevice, big.Wait());
        Assert.Equal(1024, big.ActualLength);   // two of its four packets went out first
        Assert.Equal(UsbTransferStatus.NoDevice, waiting.Wait());
        Assert.False(device.IsConnected);
        Assert.Equal(new UsbHotplugEvent(UsbHotplugEventKind.Left, device), Assert.Single(events));
        Assert.Equal(UsbError.NoDevice, _h.ClaimInterface(0));
    }

    [Fact]
    public void A_disconnect_during_a_control_request_ends_it_with_no_device()
    {
        using var fault = _echo.InjectFault(new UsbFault(UsbFaultKind.Disconnect, FaultTrigger.Once, 0));
        byte request = ControlIn(UsbRequestKind.Vendor, UsbRequestRecipient.Device);
        Assert.Equal(UsbError.NoDevice, _h.ControlTransfer(request, EchoDevice.EchoRequest, 0, 0, new byte[4], 100, out _));
        Assert.False(_echo.IsPlugged);
    }

    [Fact]
    public void Isochronous_faults_mark_the_packets_and_a_disconnect_cuts_the_transfer_in_half()
    {
        Assert.Equal(UsbError.Success, _h.SetInterfaceAltSetting(EchoDevice.IsochronousInterface, 1));
        var t = Allocate(_h, UsbTransferType.Isochronous, EchoDevice.IsochronousOut, 4 * 64, 4);
        t.SetIsoPacketLengths(64);
        using (_echo.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.Once, EchoDevice.IsochronousOut)))
        {
            Assert.Equal(UsbError.Success, t.Submit());
            Assert.Equal(UsbTransferStatus.Completed, t.Wait());
            Assert.All(t.IsoPackets.ToArray(), p => Assert.Equal(UsbTransferStatus.Stall, p.Status));
        }
        Assert.Equal(UsbError.Success, t.Submit());
        Assert.All(t.IsoPackets.ToArray(), p => Assert.Equal(UsbTransferStatus.Completed, p.Status));
        using (_echo.InjectFault(new UsbFault(UsbFaultKind.Disconnect, FaultTrigger.Once, EchoDevice.IsochronousOut)))
        {
            Assert.Equal(UsbError.Success, t.Submit());
            Assert.Equal(UsbTransferStatus.NoDevice, t.Wait());
            Assert.Equal(128, t.ActualLength);
        }
    }

    [Fact]
    public void A_device_model_that_throws_fails_the_transfer_with_an_error_and_the_bus_carries_on()
    {
        var thrower = new ThrowingDevice();
        using var h = OpenAndClaim(_usb.Plug(thrower), 0);
        Assert.Equal(UsbError.Io, h.BulkTransfer(0x81, new byte[64], 100, out _));
        thrower.Broken = false;
        Assert.Equal(UsbError.Success, h.BulkTransfer(0x81, new byte[64], 100, out int n));
        Assert.Equal(1, n);
        Assert.Equal(UsbError.Success, Ping());
    }

    private sealed class ThrowingDevice() : SimulatedUsbDevice("thrower")
    {
        public bool Broken { get; set; } = true;

        public override UsbDeviceDescriptor DeviceDescriptor { get; } = new(0x0200, 0, 0, 0, 64, 0x1209, 0x000E, 1, 0, 0, 0, 1);

        public override IReadOnlyList<UsbConfigurationDescriptor> Configurations { get; } =
            [new(1, 0x80, 50, [new UsbInterfaceDescriptor(0, 0, 0xFF, 0, 0, [UsbEndpointDescriptor.Create(0x81, UsbTransferType.Bulk, 512)])])];

        public override string? GetString(byte index) => null;

        protected internal override UsbPacketResult OnInPacket(byte endpoint, Span<byte> packet, out int length)
        {
            if (Broken) throw new InvalidOperationException("model bug");
            packet[0] = 42;
            length = 1;
            return UsbPacketResult.Ack;
        }
    }

    [Fact]
    public void Faults_describe_themselves()
    {
        Assert.Equal("stall on endpoint 0x81, every 3", new UsbFault(UsbFaultKind.Stall, FaultTrigger.EveryNth(3), 0x81).ToString());
        Assert.Equal("disconnect on every endpoint, once", new UsbFault(UsbFaultKind.Disconnect, FaultTrigger.Once).ToString());
    }
}
