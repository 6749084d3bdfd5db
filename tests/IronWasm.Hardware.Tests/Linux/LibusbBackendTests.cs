using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IronWasm.Hardware.Linux.Usb;
using IronWasm.Hardware.Usb;

namespace IronWasm.Hardware.Tests.Linux;

/// <summary>The libusb backend without a device: struct layouts (the expected sizes and offsets
/// are what gcc prints for Debian's libusb-1.0-0-dev 1.0.26 headers on x86-64), error mapping,
/// conversions, and the backend on this machine, which may have no USB device at all.</summary>
public unsafe class LibusbBackendTests
{
    [Fact]
    public void Descriptor_structs_have_libusbs_sizes_and_offsets()
    {
        Assert.Equal(18, Unsafe.SizeOf<LibusbDeviceDescriptor>());
        Assert.Equal(32, Unsafe.SizeOf<LibusbEndpointDescriptor>());
        Assert.Equal(16, (int)Marshal.OffsetOf<LibusbEndpointDescriptor>(nameof(LibusbEndpointDescriptor.extra)));
        Assert.Equal(24, (int)Marshal.OffsetOf<LibusbEndpointDescriptor>(nameof(LibusbEndpointDescriptor.extra_length)));
        Assert.Equal(40, Unsafe.SizeOf<LibusbInterfaceDescriptor>());
        Assert.Equal(16, (int)Marshal.OffsetOf<LibusbInterfaceDescriptor>(nameof(LibusbInterfaceDescriptor.endpoint)));
        Assert.Equal(24, (int)Marshal.OffsetOf<LibusbInterfaceDescriptor>(nameof(LibusbInterfaceDescriptor.extra)));
        Assert.Equal(32, (int)Marshal.OffsetOf<LibusbInterfaceDescriptor>(nameof(LibusbInterfaceDescriptor.extra_length)));
        Assert.Equal(16, Unsafe.SizeOf<LibusbInterface>());
        Assert.Equal(8, (int)Marshal.OffsetOf<LibusbInterface>(nameof(LibusbInterface.num_altsetting)));
        Assert.Equal(40, Unsafe.SizeOf<LibusbConfigDescriptor>());
        Assert.Equal(16, (int)Marshal.OffsetOf<LibusbConfigDescriptor>("interface"));
        Assert.Equal(24, (int)Marshal.OffsetOf<LibusbConfigDescriptor>(nameof(LibusbConfigDescriptor.extra)));
        Assert.Equal(32, (int)Marshal.OffsetOf<LibusbConfigDescriptor>(nameof(LibusbConfigDescriptor.extra_length)));
        Assert.Equal(16, Unsafe.SizeOf<LibusbTimeval>());
    }

    [Fact]
    public void Transfer_struct_has_libusbs_layout_with_iso_packets_after_it()
    {
        Assert.Equal(64, Unsafe.SizeOf<LibusbTransferStruct>());
        Assert.Equal(12, Unsafe.SizeOf<LibusbIsoPacketDescriptor>());
        (string Field, int Offset)[] expected =
        [
            ("dev_handle", 0), ("flags", 8), ("endpoint", 9), ("type", 10), ("timeout", 12), ("status", 16), ("length", 20),
            ("actual_length", 24), ("callback", 32), ("user_data", 40), ("buffer", 48), ("num_iso_packets", 56),
        ];
        foreach (var (field, offset) in expected) Assert.Equal(offset, (int)Marshal.OffsetOf<LibusbTransferStruct>(field));
        Assert.Equal(60, LibusbTransferStruct.IsoOffset);
        LibusbTransferStruct t = default;
        Assert.Equal(60, (byte*)LibusbTransferStruct.IsoPackets(&t) - (byte*)&t);
    }

    [Theory]
    [InlineData(0, UsbError.Success)]
    [InlineData(3, UsbError.Success)]
    [InlineData(-1, UsbError.Io)]
    [InlineData(-2, UsbError.InvalidParam)]
    [InlineData(-3, UsbError.Access)]
    [InlineData(-4, UsbError.NoDevice)]
    [InlineData(-5, UsbError.NotFound)]
    [InlineData(-6, UsbError.Busy)]
    [InlineData(-7, UsbError.Timeout)]
    [InlineData(-8, UsbError.Overflow)]
    [InlineData(-9, UsbError.Pipe)]
    [InlineData(-10, UsbError.Interrupted)]
    [InlineData(-11, UsbError.NoMem)]
    [InlineData(-12, UsbError.NotSupported)]
    [InlineData(-13, UsbError.Other)]
    [InlineData(-99, UsbError.Other)]
    [InlineData(-1000, UsbError.Other)]
    public void Libusb_return_codes_map_to_the_error_of_the_same_value(int code, UsbError expected) =>
        Assert.Equal(expected, LibusbLibrary.ToError(code));

    [Fact]
    public void Transfer_statuses_share_libusbs_values()
    {
        // libusb.h: COMPLETED 0, ERROR 1, TIMED_OUT 2, CANCELLED 3, STALL 4, NO_DEVICE 5, OVERFLOW 6.
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], Enum.GetValues<UsbTransferStatus>().Select(s => (int)s));
    }

    [Fact]
    public void Creating_the_backend_with_a_missing_library_fails_with_a_message_naming_it()
    {
        var e = Assert.Throws<LibusbUnavailableException>(() => new LibusbBackend("libusb-does-not-exist.so.9"));
        Assert.Contains("libusb-does-not-exist.so.9", e.Message);
        Assert.Contains("apt-get install libusb-1.0-0", e.Message);
    }

    [Fact]
    public void A_library_that_is_not_libusb_is_refused_as_unusable()
    {
        var e = Assert.Throws<LibusbUnavailableException>(() => new LibusbBackend("libc.so.6"));
        Assert.Contains("not a usable libusb-1.0", e.Message);
    }

    [Fact]
    public void Listing_on_this_machine_succeeds_even_without_devices()
    {
        using var backend = new LibusbBackend();
        Assert.Equal("libusb", backend.Name);
        Assert.StartsWith("Linux USB through libusb 1.", backend.Description);
        var devices = new List<IUsbDevice>();
        Assert.Equal(UsbError.Success, backend.GetDevices(devices));
        var again = new List<IUsbDevice>();
        Assert.Equal(UsbError.Success, backend.GetDevices(again));
        // The same device is the same object in every listing.
        Assert.Equal(devices, again);
        foreach (var d in devices) Assert.True(d.IsConnected);
    }

    [Fact]
    public void Hotplug_subscriptions_come_and_go_without_events_on_a_quiet_machine()
    {
        using var backend = new LibusbBackend();
        if (!backend.SupportsHotplug)
        {
            Assert.Throws<NotSupportedException>(() => backend.SubscribeHotplug(_ => { }));
            return;
        }
        var seen = new List<UsbHotplugEvent>();
        var existing = new List<IUsbDevice>();
        backend.GetDevices(existing);
        using (backend.SubscribeHotplug(seen.Add, enumerateExisting: true))
        {
        }
        Assert.Equal(existing, seen.Select(e => e.Device));
        Assert.All(seen, e => Assert.Equal(UsbHotplugEventKind.Arrived, e.Kind));
    }

    [Fact]
    public void Two_backends_can_live_side_by_side_and_dispose_twice()
    {
        var a = new LibusbBackend();
        var b = new LibusbBackend();
        a.Dispose();
        Assert.Equal(UsbError.Success, b.GetDevices([]));
        b.Dispose();
        b.Dispose();
        Assert.Equal(UsbError.InvalidParam, b.GetDevices([]));
    }

    [Theory]
    [InlineData(new byte[0], "usb1")]
    [InlineData(new byte[] { 1 }, "1-1")]
    [InlineData(new byte[] { 2, 4, 1 }, "1-2.4.1")]
    public void Devices_are_found_in_sysfs_by_bus_and_port_path(byte[] ports, string expected) =>
        Assert.Equal(expected, LibusbDevice.SysfsNameOf(1, ports));

    [Fact]
    public void Sysfs_strings_lose_only_the_kernels_newline()
    {
        var dir = Directory.CreateTempSubdirectory("libusb-sysfs");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "serial"), " 0123 \n");
            File.WriteAllText(Path.Combine(dir.FullName, "product"), "Gadget\n");
            Assert.Equal(" 0123 ", LibusbDevice.ReadSysfsString(dir.FullName, "serial"));
            Assert.Equal("Gadget", LibusbDevice.ReadSysfsString(dir.FullName, "product"));
            Assert.Null(LibusbDevice.ReadSysfsString(dir.FullName, "manufacturer"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Libusbs_parsed_configuration_converts_with_alternate_settings_endpoints_and_extra_bytes()
    {
        byte[] hid = [0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x3F, 0x00];
        byte[] companion = [0x06, 0x30, 0x00, 0x00, 0x00, 0x00];
        fixed (byte* hidBytes = hid)
        fixed (byte* companionBytes = companion)
        {
            var endpoints = stackalloc LibusbEndpointDescriptor[2];
            endpoints[0] = new LibusbEndpointDescriptor { bLength = 7, bDescriptorType = 5, bEndpointAddress = 0x81, bmAttributes = 2, wMaxPacketSize = 512 };
            endpoints[1] = new LibusbEndpointDescriptor
            {
                bLength = 9, bDescriptorType = 5, bEndpointAddress = 0x03, bmAttributes = 1, wMaxPacketSize = 0x1400, bInterval = 4,
                bRefresh = 2, bSynchAddress = 0x83, extra = companionBytes, extra_length = companion.Length,
            };
            var alts = stackalloc LibusbInterfaceDescriptor[2];
            alts[0] = new LibusbInterfaceDescriptor { bLength = 9, bDescriptorType = 4, bInterfaceNumber = 0, bInterfaceClass = 3, extra = hidBytes, extra_length = hid.Length };
            alts[1] = new LibusbInterfaceDescriptor
            {
                bLength = 9, bDescriptorType = 4, bInterfaceNumber = 0, bAlternateSetting = 1, bNumEndpoints = 2,
                bInterfaceClass = 0xFF, bInterfaceSubClass = 1, bInterfaceProtocol = 2, iInterface = 5, endpoint = endpoints,
            };
            var interfaces = stackalloc LibusbInterface[1];
            interfaces[0] = new LibusbInterface { altsetting = alts, num_altsetting = 2 };
            var config = new LibusbConfigDescriptor
            {
                bLength = 9, bDescriptorType = 2, bNumInterfaces = 1, bConfigurationValue = 2, iConfiguration = 4,
                bmAttributes = 0xC0, MaxPower = 50, @interface = interfaces,
            };

            var c = LibusbDevice.Convert(&config);

            Assert.Equal(2, c.ConfigurationValue);
            Assert.Equal(4, c.ConfigurationIndex);
            Assert.Equal(0xC0, c.Attributes);
            Assert.Equal(50, c.MaxPower);
            Assert.Equal(1, c.InterfaceCount);
            Assert.Equal(2, c.Interfaces.Count);
            Assert.Equal(hid, c.FindInterface(0)!.Extra.ToArray());
            Assert.Empty(c.FindInterface(0)!.Endpoints);
            var alt = c.FindInterface(0, 1)!;
            Assert.Equal((0xFF, 1, 2, 5), (alt.InterfaceClass, alt.InterfaceSubclass, alt.InterfaceProtocol, alt.InterfaceIndex));
            Assert.Equal(UsbTransferType.Bulk, alt.Endpoints[0].TransferType);
            Assert.True(alt.Endpoints[0].IsIn);
            Assert.Equal(512, alt.Endpoints[0].PacketSize);
            var iso = alt.Endpoints[1];
            Assert.Equal((UsbTransferType.Isochronous, 1024, 3, 4), (iso.TransferType, iso.PacketSize, iso.TransactionsPerInterval, iso.Interval));
            Assert.Equal((2, 0x83, 9), (iso.Refresh, iso.SynchAddress, iso.Length));
            Assert.Equal(companion, iso.Extra.ToArray());
            // wTotalLength follows from what was converted: 9 + (9 + 9) + (9 + 7 + 9 + 6).
            Assert.Equal(58, c.TotalLength);
        }
    }

    [Fact]
    public void Endpoint_addresses_get_distinct_slots_per_direction()
    {
        var slots = new HashSet<int>();
        for (int n = 1; n < 16; n++)
        {
            Assert.True(slots.Add(LibusbDeviceHandle.EndpointSlot((byte)n)));
            Assert.True(slots.Add(LibusbDeviceHandle.EndpointSlot((byte)(0x80 | n))));
        }
        Assert.All(slots, s => Assert.InRange(s, 0, 31));
    }
}
