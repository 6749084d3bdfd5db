using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using static IronWasm.Hardware.Tests.Usb.UsbTestKit;

namespace IronWasm.Hardware.Tests.Usb;

public class UsbDescriptorTests
{
    public static TheoryData<string> DeviceNames => ["echo", "disk", "gamepad"];

    private static SimulatedUsbDevice Make(string name) => name switch
    {
        "echo" => new EchoDevice(),
        "disk" => MassStorageDevice.FromMemory(new byte[64 * 1024]),
        _ => new GamepadDevice(),
    };

    [Fact]
    public void A_device_descriptor_is_18_bytes_that_parse_back_to_the_same_fields()
    {
        var d = new EchoDevice().DeviceDescriptor;
        var bytes = UsbDescriptorCodec.WriteDevice(d);
        Assert.Equal(18, bytes.Length);
        Assert.Equal(new byte[] { 18, 1, 0x00, 0x02, 0, 0, 0, 64, 0x09, 0x12, 0x01, 0x00, 0x00, 0x01, 1, 2, 3, 1 }, bytes);
        Assert.Equal(d, UsbDescriptorCodec.ParseDevice(bytes));
    }

    [Theory, MemberData(nameof(DeviceNames))]
    public void Every_simulated_configuration_survives_writing_and_parsing(string name)
    {
        foreach (var c in Make(name).Configurations)
        {
            var bytes = UsbDescriptorCodec.WriteConfiguration(c);
            Assert.Equal(c.TotalLength, bytes.Length);
            Assert.Equal(c.TotalLength, bytes[2] | bytes[3] << 8);
            var parsed = UsbDescriptorCodec.ParseConfiguration(bytes);
            Assert.Equal(bytes, UsbDescriptorCodec.WriteConfiguration(parsed));
            Assert.Equal(c.InterfaceCount, parsed.InterfaceCount);
            Assert.Equal(c.Interfaces.Count, parsed.Interfaces.Count);
        }
    }

    [Fact]
    public void The_echo_configuration_has_bulk_and_interrupt_pairs_and_isochronous_ones_only_in_alternate_setting_1()
    {
        var c = new EchoDevice().Configurations[0];
        Assert.Equal(2, c.InterfaceCount);
        var data = c.FindInterface(0)!;
        Assert.Equal(new byte[] { 0x01, 0x81, 0x02, 0x82 }, data.Endpoints.Select(e => e.Address));
        Assert.Equal(new[] { UsbTransferType.Bulk, UsbTransferType.Bulk, UsbTransferType.Interrupt, UsbTransferType.Interrupt }, data.Endpoints.Select(e => e.TransferType));
        Assert.Empty(c.FindInterface(1, 0)!.Endpoints);
        var iso = c.FindInterface(1, 1)!;
        Assert.All(iso.Endpoints, e => Assert.Equal(UsbTransferType.Isochronous, e.TransferType));
        Assert.Equal(new byte[] { 0x03, 0x83 }, iso.Endpoints.Select(e => e.Address));
    }

    [Fact]
    public void The_mass_storage_interface_is_scsi_transparent_over_bulk_only_transport()
    {
        var i = MassStorageDevice.FromMemory(new byte[4096]).Configurations[0].Interfaces.Single();
        Assert.Equal((0x08, 0x06, 0x50), (i.InterfaceClass, i.InterfaceSubclass, i.InterfaceProtocol));
        Assert.Equal(new byte[] { 0x81, 0x02 }, i.Endpoints.Select(e => e.Address));
        Assert.All(i.Endpoints, e => Assert.Equal((UsbTransferType.Bulk, 512), (e.TransferType, e.PacketSize)));
    }

    [Fact]
    public void The_gamepad_interface_carries_its_hid_descriptor_as_extra_bytes_naming_the_report_descriptor_length()
    {
        var bytes = UsbDescriptorCodec.WriteConfiguration(new GamepadDevice().Configurations[0]);
        var i = UsbDescriptorCodec.ParseConfiguration(bytes).Interfaces.Single();
        Assert.Equal(3, i.InterfaceClass);
        var hid = i.Extra.ToArray();
        Assert.Equal(new byte[] { 9, 0x21, 0x11, 0x01 }, hid[..4]);
        Assert.Equal(0x22, hid[6]);
        Assert.Equal(GamepadDevice.ReportDescriptor.Length, hid[7] | hid[8] << 8);
        Assert.Equal((UsbTransferType.Interrupt, 0x81), (i.Endpoints.Single().TransferType, (int)i.Endpoints.Single().Address));
    }

    [Fact]
    public void A_truncated_configuration_is_refused_with_the_offset()
    {
        var bytes = UsbDescriptorCodec.WriteConfiguration(new EchoDevice().Configurations[0]);
        var e = Assert.Throws<FormatException>(() => UsbDescriptorCodec.ParseConfiguration(bytes.AsSpan(0, 20)));
        Assert.Contains("exceeds", e.Message);
        bytes[9 + 9] = 200;
        e = Assert.Throws<FormatException>(() => UsbDescriptorCodec.ParseConfiguration(bytes));
        Assert.Contains("offset 18", e.Message);
    }

    [Fact]
    public void Endpoint_max_packet_size_splits_into_packet_size_and_transactions_per_microframe()
    {
        var e = new UsbEndpointDescriptor(0x81, (byte)UsbTransferType.Isochronous, 0x1400, 1);
        Assert.Equal(1024, e.PacketSize);
        Assert.Equal(3, e.TransactionsPerInterval);
        Assert.True(e.IsIn);
        Assert.Equal(1, e.Number);
        Assert.Equal(7, e.Length);
        Assert.Equal(9, new UsbEndpointDescriptor(0x01, 1, 64, 1, refresh: 0, synchAddress: 0x82).Length);
    }

    [Fact]
    public void String_descriptors_are_utf16_and_parse_back()
    {
        var bytes = UsbDescriptorCodec.WriteString("Grüße");
        Assert.Equal(new byte[] { 12, 3, (byte)'G', 0 }, bytes[..4]);
        Assert.True(UsbDescriptorCodec.TryParseString(bytes, out var s));
        Assert.Equal("Grüße", s);
        Assert.Throws<ArgumentException>(() => UsbDescriptorCodec.WriteString(new string('x', 127)));
    }

    [Fact]
    public void A_setup_packet_is_little_endian_and_names_its_fields()
    {
        var s = new UsbSetupPacket(0xA1, 0xFE, 0x0102, 0x0304, 0x0506);
        Span<byte> b = stackalloc byte[8];
        s.WriteTo(b);
        Assert.Equal(new byte[] { 0xA1, 0xFE, 0x02, 0x01, 0x04, 0x03, 0x06, 0x05 }, b.ToArray());
        Assert.Equal(s, UsbSetupPacket.Read(b));
        Assert.True(s.IsDeviceToHost);
        Assert.Equal(UsbRequestKind.Class, s.Kind);
        Assert.Equal(UsbRequestRecipient.Interface, s.Recipient);
    }

    [Fact]
    public void Errors_map_to_the_cases_of_the_wit_enum_in_order()
    {
        UsbError[] order =
        [
            UsbError.Io, UsbError.InvalidParam, UsbError.Access, UsbError.NoDevice, UsbError.NotFound, UsbError.Busy,
            UsbError.Timeout, UsbError.Overflow, UsbError.Pipe, UsbError.Interrupted, UsbError.NoMem, UsbError.NotSupported, UsbError.Other,
        ];
        for (int i = 0; i < order.Length; i++) Assert.Equal(i, order[i].ToWitCase());
        Assert.Equal(-9, (int)UsbError.Pipe);
        Assert.Throws<ArgumentOutOfRangeException>(() => UsbError.Success.ToWitCase());
    }

    [Fact]
    public void Transfer_statuses_map_to_errors_as_libusb_synchronous_calls_do()
    {
        Assert.Equal(UsbError.Success, UsbTransferStatus.Completed.ToError());
        Assert.Equal(UsbError.Timeout, UsbTransferStatus.TimedOut.ToError());
        Assert.Equal(UsbError.Pipe, UsbTransferStatus.Stall.ToError());
        Assert.Equal(UsbError.Overflow, UsbTransferStatus.Overflow.ToError());
        Assert.Equal(UsbError.NoDevice, UsbTransferStatus.NoDevice.ToError());
        Assert.Equal(UsbError.Io, UsbTransferStatus.Error.ToError());
        Assert.Equal(UsbError.Interrupted, UsbTransferStatus.Cancelled.ToError());
    }

    [Fact]
    public void Get_descriptor_requests_return_the_bytes_the_listing_describes()
    {
        using var usb = ZeroLatency();
        var device = usb.Plug(new EchoDevice(serialNumber: "SN-42"));
        using var h = Open(device);
        byte request = ControlIn(UsbRequestKind.Standard, UsbRequestRecipient.Device);

        var buffer = new byte[512];
        Assert.Equal(UsbError.Success, h.ControlTransfer(request, 6, 0x0100, 0, buffer.AsSpan(0, 18), 100, out int n));
        Assert.Equal(18, n);
        Assert.Equal(device.Descriptor, UsbDescriptorCodec.ParseDevice(buffer));

        // Hosts read the 9-byte header first, then wTotalLength.
        Assert.Equal(UsbError.Success, h.ControlTransfer(request, 6, 0x0200, 0, buffer.AsSpan(0, 9), 100, out n));
        Assert.Equal(9, n);
        int total = buffer[2] | buffer[3] << 8;
        Assert.Equal(UsbError.Success, h.ControlTransfer(request, 6, 0x0200, 0, buffer.AsSpan(0, total), 100, out n));
        Assert.Equal(UsbDescriptorCodec.WriteConfiguration(device.Configurations[0]), buffer[..n]);

        Assert.Equal(UsbError.Success, h.ControlTransfer(request, 6, 0x0300, 0, buffer.AsSpan(0, 255), 100, out n));
        Assert.Equal(new byte[] { 4, 3, 0x09, 0x04 }, buffer[..n]);
        Assert.Equal(UsbError.Success, h.GetStringDescriptor(device.Descriptor.SerialNumberIndex, out var serial));
        Assert.Equal("SN-42", serial);
        Assert.Equal("SN-42", device.SerialNumber);
        Assert.Equal(UsbError.Pipe, h.GetStringDescriptor(9, out _));

        // A high-speed device has a device qualifier; a configuration index beyond the last stalls.
        Assert.Equal(UsbError.Success, h.ControlTransfer(request, 6, 0x0600, 0, buffer.AsSpan(0, 10), 100, out n));
        Assert.Equal((10, 6), (n, (int)buffer[1]));
        Assert.Equal(UsbError.Pipe, h.ControlTransfer(request, 6, 0x0201, 0, buffer.AsSpan(0, 9), 100, out _));
    }
}
