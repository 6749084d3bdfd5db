using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using static IronWasm.Hardware.Tests.Usb.UsbTestKit;

namespace IronWasm.Hardware.Tests.Usb;

public class UsbDeviceManagementTests
{
    private static List<IUsbDevice> List(IUsbBackend usb)
    {
        var list = new List<IUsbDevice>();
        Assert.Equal(UsbError.Success, usb.GetDevices(list));
        return list;
    }

    [Fact]
    public void Listed_devices_report_bus_address_port_speed_descriptors_and_strings()
    {
        using var usb = new SimulatedUsbBackend(UsbBusTiming.ZeroLatency, new Simulation.ManualTimeProvider(), busNumber: 3);
        usb.Plug(new EchoDevice());
        usb.Plug(new GamepadDevice(serialNumber: "P-7"), port: 5);
        var list = List(usb);
        Assert.Equal(2, list.Count);
        Assert.Equal(new UsbDeviceLocation(3, 2, 1, UsbSpeed.High), list[0].Location);
        Assert.Equal(new UsbDeviceLocation(3, 3, 5, UsbSpeed.High), list[1].Location);
        Assert.Equal((EchoDevice.VendorId, EchoDevice.ProductId), (list[0].Descriptor.VendorId, list[0].Descriptor.ProductId));
        Assert.Equal(("IronWasm", "Simulated Gamepad", "P-7"), (list[1].Manufacturer, list[1].Product, list[1].SerialNumber));
        Assert.Single(list[1].Configurations);
        Assert.True(list[0].IsConnected);
        Assert.Contains("2 devices", usb.Description);
    }

    [Fact]
    public void A_device_is_the_same_object_in_every_listing_while_it_stays_connected()
    {
        using var usb = ZeroLatency();
        var plugged = usb.Plug(new EchoDevice());
        Assert.Same(plugged, List(usb).Single());
        Assert.Same(List(usb).Single(), List(usb).Single());
    }

    [Fact]
    public void A_device_is_open_through_one_handle_at_a_time()
    {
        using var usb = ZeroLatency();
        var device = usb.Plug(new EchoDevice());
        var first = Open(device);
        Assert.Equal(UsbError.Access, device.Open(out var second));
        Assert.Null(second);
        first.Dispose();
        using var third = Open(device);
        Assert.False(third.IsClosed);
    }

    [Fact]
    public void A_closed_handle_answers_invalid_param_and_a_departed_device_no_device()
    {
        using var usb = ZeroLatency();
        var model = new EchoDevice();
        var device = usb.Plug(model);
        var h = Open(device);
        h.Dispose();
        h.Dispose();
        Assert.True(h.IsClosed);
        Assert.Equal(UsbError.InvalidParam, h.ClaimInterface(0));
        Assert.Equal(UsbError.InvalidParam, h.GetConfiguration(out _));
        Assert.Equal(UsbError.InvalidParam, h.BulkTransfer(0x81, new byte[4], 0, out _));

        using var live = Open(device);
        usb.Unplug(model);
        Assert.False(device.IsConnected);
        Assert.Equal(UsbError.NoDevice, live.ClaimInterface(0));
        Assert.Equal(UsbError.NoDevice, live.GetConfiguration(out _));
        Assert.Equal(UsbError.NoDevice, device.Open(out _));
        Assert.Equal(UsbError.NoDevice, device.GetActiveConfiguration(out _));
    }

    [Fact]
    public void The_first_configuration_is_active_after_plugging_and_can_be_unset_and_set()
    {
        using var usb = ZeroLatency();
        var device = usb.Plug(new EchoDevice());
        Assert.Equal(UsbError.Success, device.GetActiveConfiguration(out var active));
        Assert.Equal(1, active!.ConfigurationValue);
        using var h = Open(device);
        Assert.Equal(UsbError.Success, h.GetConfiguration(out byte value));
        Assert.Equal(1, value);

        Assert.Equal(UsbError.Success, h.SetConfiguration(null));
        Assert.Equal(UsbError.Success, h.GetConfiguration(out value));
        Assert.Equal(0, value);
        Assert.Equal(UsbError.NotFound, device.GetActiveConfiguration(out _));
        Assert.Equal(UsbError.NotFound, h.ClaimInterface(0));

        Assert.Equal(UsbError.NotFound, h.SetConfiguration(7));
        Assert.Equal(UsbError.Success, h.SetConfiguration(1));
        Assert.Equal(UsbError.Success, h.ClaimInterface(0));
    }

    [Fact]
    public void The_configuration_cannot_change_while_an_interface_is_claimed()
    {
        using var usb = ZeroLatency();
        using var h = OpenAndClaim(usb.Plug(new EchoDevice()), 0);
        Assert.Equal(UsbError.Busy, h.SetConfiguration(null));
        Assert.Equal(UsbError.Success, h.ReleaseInterface(0));
        Assert.Equal(UsbError.Success, h.SetConfiguration(null));
    }

    [Fact]
    public void Claiming_needs_an_existing_interface_and_releasing_needs_a_claim()
    {
        using var usb = ZeroLatency();
        using var h = Open(usb.Plug(new EchoDevice()));
        Assert.Equal(UsbError.NotFound, h.ClaimInterface(5));
        Assert.Equal(UsbError.NotFound, h.ReleaseInterface(0));
        Assert.Equal(UsbError.Success, h.ClaimInterface(0));
        Assert.Equal(UsbError.Success, h.ClaimInterface(0));
        Assert.Equal(UsbError.Success, h.ReleaseInterface(0));
        Assert.Equal(UsbError.NotFound, h.ReleaseInterface(0));
    }

    [Fact]
    public void A_bound_kernel_driver_blocks_claiming_until_detached_and_can_be_attached_again()
    {
        using var usb = ZeroLatency();
        using var disk = MassStorageDevice.FromMemory(new byte[4096]);
        using var h = Open(usb.Plug(disk));
        Assert.Equal(UsbError.Success, h.KernelDriverActive(0, out bool active));
        Assert.True(active);
        Assert.Equal(UsbError.Busy, h.ClaimInterface(0));
        Assert.Equal(UsbError.Busy, h.SetConfiguration(null));
        Assert.Equal(UsbError.Busy, h.AttachKernelDriver(0));

        Assert.Equal(UsbError.Success, h.DetachKernelDriver(0));
        Assert.Equal(UsbError.NotFound, h.DetachKernelDriver(0));
        Assert.Equal(UsbError.Success, h.ClaimInterface(0));
        Assert.Equal(UsbError.Busy, h.AttachKernelDriver(0));
        Assert.Equal(UsbError.Success, h.ReleaseInterface(0));
        Assert.Equal(UsbError.Success, h.AttachKernelDriver(0));
        Assert.Equal(UsbError.Success, h.KernelDriverActive(0, out active));
        Assert.True(active);

        Assert.Equal(UsbError.InvalidParam, h.KernelDriverActive(3, out _));
        Assert.Equal(UsbError.InvalidParam, h.DetachKernelDriver(3));
    }

    [Fact]
    public void A_device_without_a_kernel_driver_has_none_to_attach()
    {
        using var usb = ZeroLatency();
        using var h = Open(usb.Plug(new EchoDevice()));
        Assert.Equal(UsbError.Success, h.KernelDriverActive(0, out bool active));
        Assert.False(active);
        Assert.Equal(UsbError.NotFound, h.AttachKernelDriver(0));
    }

    [Fact]
    public void Selecting_a_configuration_binds_kernel_drivers_again_as_linux_does()
    {
        using var usb = ZeroLatency();
        using var disk = MassStorageDevice.FromMemory(new byte[4096]);
        using var h = Open(usb.Plug(disk));
        Assert.Equal(UsbError.Success, h.DetachKernelDriver(0));
        Assert.Equal(UsbError.Success, h.SetConfiguration(1));
        Assert.Equal(UsbError.Success, h.KernelDriverActive(0, out bool active));
        Assert.True(active);
    }

    [Fact]
    public void Alternate_settings_need_a_claim_and_bring_their_endpoints()
    {
        using var usb = ZeroLatency();
        using var h = OpenAndClaim(usb.Plug(new EchoDevice()), 0);
        var iso = Allocate(h, UsbTransferType.Isochronous, EchoDevice.IsochronousIn, 1024, 1);
        iso.SetIsoPacketLengths(1024);

        Assert.Equal(UsbError.NotFound, h.SetInterfaceAltSetting(1, 1));
        Assert.Equal(UsbError.Success, h.ClaimInterface(1));
        Assert.Equal(UsbError.NotFound, iso.Submit());
        Assert.Equal(UsbError.NotFound, h.SetInterfaceAltSetting(1, 2));
        Assert.Equal(UsbError.Success, h.SetInterfaceAltSetting(1, 1));
        Assert.Equal(UsbError.Success, iso.Submit());

        var alt = new byte[1];
        Assert.Equal(UsbError.Success, h.ControlTransfer(ControlIn(UsbRequestKind.Standard, UsbRequestRecipient.Interface), 0x0A, 0, 1, alt, 100, out _));
        Assert.Equal(1, alt[0]);
    }

    [Fact]
    public void Raw_set_configuration_and_set_interface_requests_stall_so_claims_cannot_be_bypassed()
    {
        using var usb = ZeroLatency();
        using var h = OpenAndClaim(usb.Plug(new EchoDevice()), 0, 1);
        byte toDevice = ControlOut(UsbRequestKind.Standard, UsbRequestRecipient.Device);
        byte toInterface = ControlOut(UsbRequestKind.Standard, UsbRequestRecipient.Interface);
        Assert.Equal(UsbError.Pipe, h.ControlTransfer(toDevice, 0x09, 0, 0, default, 100, out _));
        Assert.Equal(UsbError.Pipe, h.ControlTransfer(toInterface, 0x0B, 1, 1, default, 100, out _));
    }

    [Fact]
    public void Transfers_need_an_endpoint_of_a_claimed_interface_of_the_right_type()
    {
        using var usb = ZeroLatency();
        using var h = Open(usb.Plug(new EchoDevice()));
        var bulk = Allocate(h, UsbTransferType.Bulk, EchoDevice.BulkIn, 64);
        Assert.Equal(UsbError.NotFound, bulk.Submit());
        Assert.Equal(UsbTransferState.Idle, bulk.State);
        Assert.Equal(UsbError.Success, h.ClaimInterface(0));
        var wrongType = Allocate(h, UsbTransferType.Interrupt, EchoDevice.BulkIn, 64);
        Assert.Equal(UsbError.InvalidParam, wrongType.Submit());
        var missing = Allocate(h, UsbTransferType.Bulk, 0x85, 64);
        Assert.Equal(UsbError.NotFound, missing.Submit());
        Assert.Equal(UsbError.NotFound, h.ClearHalt(0x85));
    }

    [Fact]
    public void Impossible_transfers_are_refused_at_allocation()
    {
        using var usb = ZeroLatency();
        using var h = Open(usb.Plug(new EchoDevice()));
        Assert.Equal(UsbError.InvalidParam, h.AllocateTransfer(UsbTransferType.Bulk, 0x81, -1, 0, out _));
        Assert.Equal(UsbError.InvalidParam, h.AllocateTransfer(UsbTransferType.Bulk, 0x81, UsbTransfer.MaxLength + 1, 0, out _));
        Assert.Equal(UsbError.InvalidParam, h.AllocateTransfer(UsbTransferType.Control, 0x81, 8, 0, out _));
        Assert.Equal(UsbError.InvalidParam, h.AllocateTransfer(UsbTransferType.Control, 0, 70000, 0, out _));
        Assert.Equal(UsbError.InvalidParam, h.AllocateTransfer(UsbTransferType.Isochronous, 0x83, 1024, 0, out _));
        Assert.Equal(UsbError.InvalidParam, h.AllocateTransfer(UsbTransferType.Isochronous, 0x83, 1024, 129, out _));
        Assert.Equal(UsbError.InvalidParam, h.AllocateTransfer(UsbTransferType.Bulk, 0x00, 8, 0, out _));
        Assert.Equal(UsbError.InvalidParam, h.AllocateTransfer(UsbTransferType.Bulk, 0x81, 8, 2, out _));
    }

    [Fact]
    public void Bulk_streams_are_not_supported_on_a_usb_2_bus()
    {
        using var usb = ZeroLatency();
        using var h = OpenAndClaim(usb.Plug(new EchoDevice()), 0);
        Assert.Equal(UsbError.NotSupported, h.AllocStreams(4, [0x81, 0x01], out uint allocated));
        Assert.Equal(0u, allocated);
        Assert.Equal(UsbError.NotSupported, h.FreeStreams([0x81, 0x01]));
    }

    [Fact]
    public void A_reset_empties_the_device_and_returns_alternate_settings_to_zero_but_keeps_claims()
    {
        using var usb = ZeroLatency();
        using var h = OpenAndClaim(usb.Plug(new EchoDevice()), 0, 1);
        Assert.Equal(UsbError.Success, h.SetInterfaceAltSetting(1, 1));
        Assert.Equal(UsbError.Success, h.BulkTransfer(EchoDevice.BulkOut, Pattern(32), 100, out _));
        var waiting = Allocate(h, UsbTransferType.Interrupt, EchoDevice.InterruptIn, 64);
        SubmitIn(waiting, 64);

        Assert.Equal(UsbError.Success, h.ResetDevice());
        Assert.Equal(UsbTransferStatus.Cancelled, waiting.Wait());
        var probe = Allocate(h, UsbTransferType.Bulk, EchoDevice.BulkIn, 512);
        SubmitIn(probe, 512);
        Assert.True(probe.IsPending);
        Assert.Equal(UsbError.Success, probe.Cancel());
        var alt = new byte[1];
        Assert.Equal(UsbError.Success, h.ControlTransfer(ControlIn(UsbRequestKind.Standard, UsbRequestRecipient.Interface), 0x0A, 0, 1, alt, 100, out _));
        Assert.Equal(0, alt[0]);
        Assert.Equal(UsbError.Success, h.BulkTransfer(EchoDevice.BulkOut, Pattern(8), 100, out _));
    }

    [Fact]
    public void Standard_get_status_reports_self_power_and_endpoint_halts()
    {
        using var usb = ZeroLatency();
        using var h = OpenAndClaim(usb.Plug(new EchoDevice()), 0);
        var status = new byte[2];
        Assert.Equal(UsbError.Success, h.ControlTransfer(ControlIn(UsbRequestKind.Standard, UsbRequestRecipient.Endpoint), 0x00, 0, EchoDevice.BulkIn, status, 100, out _));
        Assert.Equal(0, status[0]);
        Assert.Equal(UsbError.Success, h.ControlTransfer(ControlOut(UsbRequestKind.Standard, UsbRequestRecipient.Endpoint), 0x03, 0, EchoDevice.BulkIn, default, 100, out _));
        Assert.Equal(UsbError.Success, h.ControlTransfer(ControlIn(UsbRequestKind.Standard, UsbRequestRecipient.Endpoint), 0x00, 0, EchoDevice.BulkIn, status, 100, out _));
        Assert.Equal(1, status[0]);
        Assert.Equal(UsbError.Pipe, h.BulkTransfer(EchoDevice.BulkIn, new byte[512], 100, out _));
        Assert.Equal(UsbError.Success, h.ClearHalt(EchoDevice.BulkIn));
        Assert.Equal(UsbError.Success, h.ControlTransfer(ControlIn(UsbRequestKind.Standard, UsbRequestRecipient.Endpoint), 0x00, 0, EchoDevice.BulkIn, status, 100, out _));
        Assert.Equal(0, status[0]);
        Assert.Equal(UsbError.Success, h.ControlTransfer(ControlIn(UsbRequestKind.Standard, UsbRequestRecipient.Device), 0x00, 0, 0, status, 100, out _));
        Assert.Equal(0, status[0]);
    }

    [Fact]
    public void Plugging_checks_descriptors_ports_and_double_plugging()
    {
        using var usb = new SimulatedUsbBackend(UsbBusTiming.ZeroLatency, new Simulation.ManualTimeProvider(), portCount: 2);
        var e = Assert.Throws<ArgumentException>(() => usb.Plug(new BrokenDevice()));
        Assert.Contains("endpoint 0x81 appears twice", e.Message);
        var echo = new EchoDevice();
        usb.Plug(echo);
        Assert.Throws<InvalidOperationException>(() => usb.Plug(echo));
        Assert.Throws<InvalidOperationException>(() => usb.Plug(new EchoDevice("other"), port: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => usb.Plug(new EchoDevice("third"), port: 3));
        usb.Plug(new EchoDevice("second"));
        Assert.Throws<InvalidOperationException>(() => usb.Plug(new EchoDevice("fourth")));
    }

    [Fact]
    public void Addresses_are_not_reused_at_once_after_a_device_leaves()
    {
        using var usb = ZeroLatency();
        var echo = new EchoDevice();
        var first = usb.Plug(echo);
        usb.Unplug(echo);
        var second = usb.Plug(echo);
        Assert.NotSame(first, second);
        Assert.Equal(first.Location.DeviceAddress + 1, second.Location.DeviceAddress);
    }

    private sealed class BrokenDevice() : SimulatedUsbDevice("broken")
    {
        public override UsbDeviceDescriptor DeviceDescriptor { get; } = new(0x0200, 0, 0, 0, 64, 0x1209, 0x000F, 1, 0, 0, 0, 1);

        public override IReadOnlyList<UsbConfigurationDescriptor> Configurations { get; } =
        [
            new(1, 0x80, 50,
            [
                new UsbInterfaceDescriptor(0, 0, 0xFF, 0, 0,
                [
                    UsbEndpointDescriptor.Create(0x81, UsbTransferType.Bulk, 512),
                    UsbEndpointDescriptor.Create(0x81, UsbTransferType.Interrupt, 64, 1),
                ]),
            ]),
        ];

        public override string? GetString(byte index) => null;
    }
}
