using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using IronWasm.Hardware.Linux.Usb;
using IronWasm.Hardware.Usb;

namespace IronWasm.Hardware.LinuxTests;

/// <summary>The libusb backend against real kernel USB devices: the configfs gadgets that
/// tests/vm/usb-gadgets.sh binds to dummy_hcd's emulated controllers (source/sink + loopback
/// 1209:000a, mass storage 1209:000b over a FAT16 image, HID echo 1209:000c). Skipped when the
/// gadgets are not there.</summary>
internal static class UsbChecks
{
    private const ushort Vendor = 0x1209;
    private const ushort LoopbackProduct = 0x000a;
    private const ushort StorageProduct = 0x000b;
    private const ushort HidProduct = 0x000c;
    private const byte SourceSinkInterface = 0;
    private const byte LoopbackInterface = 1;
    private const uint Timeout = 5000;

    public static void Run(Checks checks)
    {
        string? lb = Environment.GetEnvironmentVariable("IRONWASM_VM_USB_LB");
        string? msc = Environment.GetEnvironmentVariable("IRONWASM_VM_USB_MSC");
        if (lb is null || msc is null)
        {
            checks.Skip("usb", "no USB gadgets (IRONWASM_VM_USB_LB/MSC unset: tests/vm/usb-gadgets.sh sets them up on dummy_hcd)");
            return;
        }
        LibusbBackend? backend = null;
        checks.Run("usb: the libusb backend starts", () =>
        {
            backend = new LibusbBackend();
            return backend.Description.StartsWith("Linux USB through libusb 1.", StringComparison.Ordinal) ? null : backend.Description;
        });
        if (backend is null) return;
        using (backend)
        {
            LoopbackChecks(checks, backend);
            StorageChecks(checks, backend, msc);
            if (Environment.GetEnvironmentVariable("IRONWASM_VM_USB_HID") is null) checks.Skip("usb: interrupt transfers", "no HID gadget (IRONWASM_VM_USB_HID unset)");
            else InterruptChecks(checks, backend);
            HotplugChecks(checks, backend, lb);
        }
    }

    private static IUsbDevice? Find(IUsbBackend backend, ushort product)
    {
        var devices = new List<IUsbDevice>();
        if (backend.GetDevices(devices) != UsbError.Success) return null;
        return devices.Find(d => d.Descriptor.VendorId == Vendor && d.Descriptor.ProductId == product && d.IsConnected);
    }

    private static string? Ok(UsbError error, string what) => error == UsbError.Success ? null : $"{what}: {error} ({error.Describe()})";

    private static UsbEndpointDescriptor Endpoint(IUsbDevice device, byte interfaceNumber, bool isIn) =>
        device.Configurations[0].FindInterface(interfaceNumber)!.Endpoints.First(e => e.IsIn == isIn && e.TransferType == UsbTransferType.Bulk);

    private static void LoopbackChecks(Checks checks, LibusbBackend backend)
    {
        IUsbDevice? device = null;
        checks.Run("usb: lists the loopback gadget 1209:000a with its strings from sysfs, high speed", () =>
        {
            device = Find(backend, LoopbackProduct);
            if (device is null) return "no 1209:000a among the devices libusb lists";
            return Checks.Expect("IronWasm", device.Manufacturer, "manufacturer")
                ?? Checks.Expect("IronWasm loopback", device.Product, "product")
                ?? Checks.Expect("LB0001", device.SerialNumber, "serial")
                ?? Checks.Expect(UsbSpeed.High, device.Location.Speed, "speed")
                ?? Checks.Expect(true, device.Location.BusNumber > 0 && device.Location.DeviceAddress > 1, "bus and address set");
        });
        if (device is null) return;
        var d = device;

        checks.Run("usb: descriptors: one configuration, source/sink on interface 0 and loopback on 1, bulk endpoints of 512 bytes", () =>
        {
            if (d.Configurations.Count != 1) return $"{d.Configurations.Count} configurations";
            var c = d.Configurations[0];
            if (Ok(d.GetActiveConfiguration(out var active), "active configuration") is { } e) return e;
            foreach (byte i in new[] { SourceSinkInterface, LoopbackInterface })
            {
                var s = c.FindInterface(i);
                if (s is null) return $"no interface {i}";
                if (s.InterfaceClass != 0xFF) return $"interface {i} class {s.InterfaceClass:x2}";
                if (Endpoint(d, i, true).PacketSize != 512 || Endpoint(d, i, false).PacketSize != 512) return $"interface {i} endpoints not 512 bytes";
            }
            return Checks.Expect(c.ConfigurationValue, active!.ConfigurationValue, "active configuration")
                ?? Checks.Expect((ushort)0x0200, d.Descriptor.UsbVersion, "bcdUSB");
        });

        checks.Run("usb: a device opens once per process: a second open gives Access until the first handle closes", () =>
        {
            if (Ok(d.Open(out var first), "open") is { } e) return e;
            var second = d.Open(out var h2);
            h2?.Dispose();
            first!.Dispose();
            if (second != UsbError.Access) return $"second open: {second}";
            if (Ok(d.Open(out var third), "open after close") is { } e3) return e3;
            third!.Dispose();
            return Checks.Expect(UsbError.InvalidParam, third.ClaimInterface(0), "claim on a closed handle");
        });

        if (d.Open(out var opened) != UsbError.Success) return;
        using var handle = opened!;
        ControlChecks(checks, d, handle);
        TransferChecks(checks, d, handle);
    }

    private static void ControlChecks(Checks checks, IUsbDevice d, UsbDeviceHandle handle)
    {
        checks.Run("usb: control GET_DESCRIPTOR(DEVICE) returns the descriptor the listing shows", () =>
        {
            var buffer = new byte[18];
            if (Ok(handle.ControlTransfer(0x80, 0x06, 0x0100, 0, buffer, Timeout, out int n), "GET_DESCRIPTOR") is { } e) return e;
            if (n != 18) return $"{n} bytes";
            var parsed = UsbDescriptorCodec.ParseDevice(buffer);
            return Checks.Expect(d.Descriptor, parsed, "device descriptor");
        });

        checks.Run("usb: control GET_STATUS(device) returns two bytes, GET_CONFIGURATION the active value", () =>
        {
            var status = new byte[2];
            if (Ok(handle.ControlTransfer(0x80, 0x00, 0, 0, status, Timeout, out int n), "GET_STATUS") is { } e) return e;
            if (n != 2) return $"GET_STATUS gave {n} bytes";
            if (Ok(handle.GetConfiguration(out byte value), "get configuration") is { } e2) return e2;
            return Checks.Expect((byte)1, value, "configuration");
        });

        checks.Run("usb: string descriptors read through the handle match sysfs", () =>
        {
            if (Ok(handle.GetStringDescriptor(d.Descriptor.SerialNumberIndex, out var serial), "serial") is { } e) return e;
            if (Ok(handle.GetStringDescriptor(d.Descriptor.ProductIndex, out var product), "product") is { } e2) return e2;
            return Checks.Expect(d.SerialNumber, serial, "serial") ?? Checks.Expect(d.Product, product, "product");
        });

        checks.Run("usb: a raw SET_CONFIGURATION stalls: configuration changes go through the handle", () =>
            Checks.Expect(UsbError.Pipe, handle.ControlTransfer(0x00, 0x09, 1, 0, [], Timeout, out _), "SET_CONFIGURATION"));

        checks.Run("usb: SetConfiguration to a value the device lacks gives NotFound, to its own value succeeds", () =>
            Checks.Expect(UsbError.NotFound, handle.SetConfiguration(7), "configuration 7")
            ?? Checks.Expect(UsbError.Success, handle.SetConfiguration(1), "configuration 1"));

        checks.Run("usb: SetConfiguration(null) unconfigures the device (configuration 0, no active descriptor) and 1 configures it again", () =>
        {
            if (Ok(handle.SetConfiguration(null), "unconfigure") is { } e) return e;
            if (Ok(handle.GetConfiguration(out byte value), "get configuration") is { } e1) return e1;
            var unconfigured = d.GetActiveConfiguration(out _);
            if (Ok(handle.SetConfiguration(1), "configure again") is { } e2) return e2;
            if (Ok(handle.GetConfiguration(out byte again), "get configuration again") is { } e3) return e3;
            return Checks.Expect((byte)0, value, "configuration while unconfigured")
                ?? Checks.Expect(UsbError.NotFound, unconfigured, "active configuration while unconfigured")
                ?? Checks.Expect((byte)1, again, "configuration after");
        });
    }

    private static void TransferChecks(Checks checks, IUsbDevice d, UsbDeviceHandle handle)
    {
        byte lbOut = Endpoint(d, LoopbackInterface, false).Address, lbIn = Endpoint(d, LoopbackInterface, true).Address;
        byte ssOut = Endpoint(d, SourceSinkInterface, false).Address, ssIn = Endpoint(d, SourceSinkInterface, true).Address;

        checks.Run("usb: transfers and clear-halt on an interface not claimed give NotFound", () =>
            Checks.Expect(UsbError.NotFound, handle.BulkTransfer(lbOut, new byte[4], Timeout, out _), "bulk OUT")
            ?? Checks.Expect(UsbError.NotFound, handle.ClearHalt(lbIn), "clear halt"));

        checks.Run("usb: claim and release: no kernel driver on the gadget, releasing twice gives NotFound", () =>
        {
            if (Ok(handle.KernelDriverActive(LoopbackInterface, out bool active), "kernel driver active") is { } e) return e;
            if (active) return "a kernel driver is bound to the loopback interface";
            if (Ok(handle.ClaimInterface(LoopbackInterface), "claim") is { } e2) return e2;
            if (Ok(handle.ClaimInterface(LoopbackInterface), "claim again") is { } e3) return e3;
            if (Ok(handle.ReleaseInterface(LoopbackInterface), "release") is { } e4) return e4;
            return Checks.Expect(UsbError.NotFound, handle.ReleaseInterface(LoopbackInterface), "second release")
                ?? Checks.Expect(UsbError.InvalidParam, handle.KernelDriverActive(9, out _), "kernel driver of interface 9")
                ?? Checks.Expect(UsbError.NotFound, handle.ClaimInterface(9), "claim interface 9");
        });

        if (handle.ClaimInterface(LoopbackInterface) != UsbError.Success || handle.ClaimInterface(SourceSinkInterface) != UsbError.Success) return;

        checks.Run("usb: bulk OUT then IN through the loopback function returns the same bytes (4 to 4096 bytes)", () =>
        {
            foreach (int size in new[] { 4, 16, 32, 100, 1000, 4096 })
            {
                var sent = new byte[size];
                Random.Shared.NextBytes(sent);
                var back = new byte[size];
                if (Ok(handle.BulkTransfer(lbOut, sent, Timeout, out int n), $"OUT {size}") is { } e) return e;
                if (n != size) return $"OUT {size}: {n} moved";
                if (Ok(handle.BulkTransfer(lbIn, back, Timeout, out n), $"IN {size}") is { } e2) return e2;
                if (Checks.ExpectBytes(sent, back.AsSpan(0, n), $"{size} bytes back") is { } e3) return e3;
            }
            return null;
        });

        checks.Run("usb: steady-state bulk round trips allocate nothing on the calling thread (windows of 100 round trips)", () =>
        {
            var sent = new byte[32];
            var back = new byte[32];
            for (int i = 0; i < 20; i++) RoundTrip(handle, lbOut, lbIn, sent, back);
            // A one-time lazy allocation of the runtime (40 to 80 bytes, seen in the first window and
            // once in a later one under TCG, where a round trip takes 8 to 20 ms and waits block) may land
            // in any window; an allocation per round trip would put at least 2,400 bytes in every one.
            var windows = new long[5];
            var watch = Stopwatch.StartNew();
            for (int w = 0; w < windows.Length; w++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < 100; i++)
                    if (RoundTrip(handle, lbOut, lbIn, sent, back) is { } e) return e;
                windows[w] = GC.GetAllocatedBytesForCurrentThread() - before;
            }
            watch.Stop();
            Console.WriteLine($"     (bytes allocated per window: {string.Join(", ", windows)}; dummy_hcd under TCG: "
                + $"{watch.Elapsed.TotalMicroseconds / (100 * windows.Length):F0} us per 32-byte OUT+IN round trip)");
            int allocating = windows.Count(b => b != 0);
            return allocating <= 1 && windows.Max() <= 256
                ? null
                : $"windows of 100 round trips allocated {string.Join(", ", windows)} bytes (allowed: one window with a one-time allocation of at most 256 bytes)";
        });

        checks.Run("usb: source/sink: bulk IN carries the pattern (byte i of a packet is i % 63), bulk OUT accepts it", () =>
        {
            int packet = Endpoint(d, SourceSinkInterface, true).PacketSize;
            var pattern = new byte[4096];
            for (int i = 0; i < pattern.Length; i++) pattern[i] = (byte)(i % packet % 63);
            var read = new byte[4096];
            for (int round = 0; round < 3; round++)
            {
                if (Ok(handle.BulkTransfer(ssIn, read, Timeout, out int n), "IN") is { } e) return e;
                if (n != read.Length) return $"IN gave {n} bytes";
                if (Checks.ExpectBytes(pattern, read, "source data") is { } e2) return e2;
                if (Ok(handle.BulkTransfer(ssOut, pattern, Timeout, out n), "OUT") is { } e3) return e3;
            }
            return null;
        });

        checks.Run("usb: clear halt: bytes off the pattern halt the sink, the next OUT stalls, ClearHalt recovers it", () =>
        {
            int packet = Endpoint(d, SourceSinkInterface, false).PacketSize;
            var bad = new byte[4096];
            bad.AsSpan().Fill(0xEE);
            var good = new byte[4096];
            for (int i = 0; i < good.Length; i++) good[i] = (byte)(i % packet % 63);
            if (Ok(handle.BulkTransfer(ssOut, bad, Timeout, out _), "bad OUT") is { } e) return e;
            var stalled = handle.BulkTransfer(ssOut, good, Timeout, out _);
            if (stalled != UsbError.Pipe) return $"OUT after bad data: {stalled}, not Pipe";
            if (Ok(handle.ClearHalt(ssOut), "clear halt") is { } e2) return e2;
            return Ok(handle.BulkTransfer(ssOut, good, Timeout, out _), "OUT after clear halt");
        });

        checks.Run("usb: an IN with nothing to read times out; an asynchronous one ends Cancelled when cancelled", () =>
        {
            var nothing = new byte[64];
            var timedOut = handle.BulkTransfer(lbIn, nothing, 200, out _);
            if (timedOut != UsbError.Timeout) return $"IN with no data: {timedOut}, not Timeout";
            if (Ok(handle.AllocateTransfer(UsbTransferType.Bulk, lbIn, 64, 0, out var t), "allocate") is { } e) return e;
            using (t)
            {
                if (Ok(t!.Submit(), "submit") is { } e2) return e2;
                if (t.State != UsbTransferState.Pending) return $"state {t.State} right after submit";
                if (t.Submit() != UsbError.Busy) return "a second submit while pending was not Busy";
                var waiting = t.WaitAsync().AsTask();
                if (Ok(t.Cancel(), "cancel") is { } e3) return e3;
                if (!waiting.Wait((int)Timeout)) return "the cancelled transfer did not complete";
                return Checks.Expect(UsbTransferStatus.Cancelled, waiting.Result, "status")
                    ?? Checks.Expect(UsbError.NotFound, t.Cancel(), "cancelling a completed transfer");
            }
        });

        checks.Run("usb: an asynchronous OUT and IN pair on kept transfers completes and resubmits", () =>
        {
            if (Ok(handle.AllocateTransfer(UsbTransferType.Bulk, lbOut, 512, 0, out var o), "allocate OUT") is { } e) return e;
            if (Ok(handle.AllocateTransfer(UsbTransferType.Bulk, lbIn, 512, 0, out var i), "allocate IN") is { } e1) return e1;
            using (o)
            using (i)
            {
                for (int round = 0; round < 3; round++)
                {
                    o!.Length = 100;
                    o.Buffer[..100].Fill((byte)(round + 1));
                    i!.Length = 100;
                    if (Ok(i.Submit(), "submit IN") is { } e2) return e2;
                    if (Ok(o.Submit(), "submit OUT") is { } e3) return e3;
                    if (o.Wait() != UsbTransferStatus.Completed) return $"OUT {o.Status}";
                    if (i.Wait() != UsbTransferStatus.Completed) return $"IN {i.Status}";
                    if (Checks.ExpectBytes(o.Buffer[..100], i.ActualData, "echo") is { } e4) return e4;
                }
            }
            return null;
        });

        checks.Run("usb: alternate setting 0 selects, a setting the interface lacks gives NotFound", () =>
            Checks.Expect(UsbError.Success, handle.SetInterfaceAltSetting(LoopbackInterface, 0), "alt 0")
            ?? Checks.Expect(UsbError.NotFound, handle.SetInterfaceAltSetting(LoopbackInterface, 5), "alt 5"));

        var isoSetting = d.Configurations[0].FindInterface(SourceSinkInterface, 1);
        var isoIn = isoSetting?.Endpoints.FirstOrDefault(e => e.IsIn && e.TransferType == UsbTransferType.Isochronous);
        if (isoIn is null)
        {
            checks.Skip("usb: isochronous", "source/sink has no alternate setting 1 with an isochronous IN endpoint");
        }
        else
        {
            checks.Run("usb: source/sink alternate setting 1 selects; an isochronous IN of 4 packets is answered and the handle survives", () =>
            {
                if (Ok(handle.SetInterfaceAltSetting(SourceSinkInterface, 1), "alt 1") is { } e) return e;
                try
                {
                    if (Ok(handle.AllocateTransfer(UsbTransferType.Isochronous, isoIn.Address, 4 * isoIn.PacketSize, 4, out var t), "allocate") is { } e1) return e1;
                    using (t)
                    {
                        t!.SetIsoPacketLengths(isoIn.PacketSize);
                        t.TimeoutMilliseconds = 2000;
                        // dummy_hcd does not move isochronous data: the kernel refuses the URB or
                        // fails it; either way the answer must come back, not hang or crash.
                        var submitted = t.Submit();
                        string outcome = submitted != UsbError.Success ? $"submit: {submitted}" : $"status {t.Wait()}, packets {string.Join(" ", t.IsoPackets.ToArray().Select(p => $"{p.Status}/{p.ActualLength}"))}";
                        Console.WriteLine($"     (isochronous IN on dummy_hcd: {outcome})");
                    }
                }
                finally
                {
                    handle.SetInterfaceAltSetting(SourceSinkInterface, 0);
                }
                return RoundTrip(handle, Endpoint(d, LoopbackInterface, false).Address, Endpoint(d, LoopbackInterface, true).Address, new byte[16], new byte[16]);
            });
        }

        checks.Run("usb: bulk streams are refused on a high-speed device", () =>
        {
            var error = handle.AllocStreams(4, [lbIn], out uint allocated);
            return error != UsbError.Success && allocated == 0 ? null : $"AllocStreams: {error}, {allocated} streams";
        });

        checks.Run("usb: a port reset keeps the claims: the loopback still echoes", () =>
        {
            if (Ok(handle.ResetDevice(), "reset") is { } e) return e;
            var back = new byte[32];
            return RoundTrip(handle, lbOut, lbIn, Encoding.ASCII.GetBytes("after the reset, still an echo!!"), back);
        });
    }

    private static string? RoundTrip(UsbDeviceHandle handle, byte outEp, byte inEp, byte[] sent, byte[] back)
    {
        var error = handle.BulkTransfer(outEp, sent, Timeout, out _);
        if (error != UsbError.Success) return $"OUT: {error}";
        error = handle.BulkTransfer(inEp, back, Timeout, out int n);
        if (error != UsbError.Success) return $"IN: {error}";
        return sent.AsSpan().SequenceEqual(back.AsSpan(0, n)) ? null : "echo differs";
    }

    private static void StorageChecks(Checks checks, LibusbBackend backend, string msc)
    {
        var device = Find(backend, StorageProduct);
        checks.Run("usb: lists the mass-storage gadget 1209:000b: interface 0 is 08/06/50 with two bulk endpoints", () =>
        {
            if (device is null) return "no 1209:000b among the devices libusb lists";
            var i = device.Configurations[0].FindInterface(0);
            if (i is null) return "no interface 0";
            return Checks.Expect((0x08, 0x06, 0x50), (i.InterfaceClass, i.InterfaceSubclass, i.InterfaceProtocol), "class")
                ?? Checks.Expect("MSC0001", device.SerialNumber, "serial");
        });
        if (device is null || device.Open(out var opened) != UsbError.Success) return;
        using var handle = opened!;
        byte bulkIn = Endpoint(device, 0, true).Address, bulkOut = Endpoint(device, 0, false).Address;

        checks.Run("usb: mass storage: usb-storage holds the interface, so claim is Busy until DetachKernelDriver", () =>
        {
            if (Ok(handle.KernelDriverActive(0, out bool active), "kernel driver active") is { } e) return e;
            if (!active) return "usb-storage is not bound";
            if (handle.ClaimInterface(0) is var busy && busy != UsbError.Busy) return $"claim with usb-storage bound: {busy}";
            if (Ok(handle.DetachKernelDriver(0), "detach") is { } e2) return e2;
            if (Ok(handle.KernelDriverActive(0, out active), "kernel driver active after detach") is { } e3) return e3;
            if (active) return "still bound after detach";
            return Checks.Expect(UsbError.NotFound, handle.DetachKernelDriver(0), "second detach")
                ?? Ok(handle.ClaimInterface(0), "claim after detach");
        });

        var bot = new Bot(handle, bulkOut, bulkIn);
        checks.Run("usb: mass storage: BOT INQUIRY answers a direct-access device, CSW passed with the CBW's tag", () =>
        {
            var data = new byte[36];
            if (bot.Command([0x12, 0, 0, 0, 36, 0], data, true, out int n) is { } e) return e;
            return Checks.Expect(36, n, "INQUIRY length") ?? Checks.Expect(0, data[0] & 0x1F, "peripheral device type")
                ?? Checks.Expect(true, (data[1] & 0x80) != 0, "removable");
        });

        uint blocks = 0;
        checks.Run("usb: mass storage: READ CAPACITY(10) gives 16384 blocks of 512 bytes (the 8 MiB image)", () =>
        {
            var data = new byte[8];
            if (bot.Command([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], data, true, out _) is { } e) return e;
            blocks = BinaryPrimitives.ReadUInt32BigEndian(data) + 1;
            return Checks.Expect(16384u, blocks, "blocks") ?? Checks.Expect(512u, BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)), "block size");
        });

        var boot = new byte[512];
        checks.Run("usb: mass storage: READ(10) of sector 0 is a FAT16 boot sector ending 0x55AA", () =>
        {
            if (bot.Read(0, boot) is { } e) return e;
            return Checks.Expect((byte)0x55, boot[510], "byte 510") ?? Checks.Expect((byte)0xAA, boot[511], "byte 511")
                ?? Checks.Expect("FAT16   ", Encoding.ASCII.GetString(boot, 54, 8), "file system type")
                ?? Checks.Expect("IRONWASM   ", Encoding.ASCII.GetString(boot, 43, 11), "volume label");
        });

        checks.Run("usb: mass storage: HELLO.TXT, put on the image by mtools, reads back through the FAT", () =>
        {
            string[] known = (Environment.GetEnvironmentVariable("IRONWASM_VM_USB_MSC_FILE") ?? "HELLO.TXT:hello from a FAT image").Split(':', 2);
            int bytesPerSector = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(11));
            int sectorsPerCluster = boot[13];
            int reserved = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(14));
            int fats = boot[16];
            int rootEntries = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(17));
            int sectorsPerFat = BinaryPrimitives.ReadUInt16LittleEndian(boot.AsSpan(22));
            if (bytesPerSector != 512) return $"{bytesPerSector} bytes per sector";
            uint rootStart = (uint)(reserved + fats * sectorsPerFat);
            int rootSectors = rootEntries * 32 / 512;
            var root = new byte[rootSectors * 512];
            for (int s = 0; s < rootSectors; s++)
                if (bot.Read(rootStart + (uint)s, root.AsSpan(s * 512, 512)) is { } e) return e;
            string name = known[0].Split('.')[0].PadRight(8) + known[0].Split('.')[1].PadRight(3);
            for (int at = 0; at < root.Length; at += 32)
            {
                if (Encoding.ASCII.GetString(root, at, 11) != name) continue;
                int cluster = BinaryPrimitives.ReadUInt16LittleEndian(root.AsSpan(at + 26));
                int size = BinaryPrimitives.ReadInt32LittleEndian(root.AsSpan(at + 28));
                var data = new byte[512];
                uint sector = rootStart + (uint)rootSectors + (uint)((cluster - 2) * sectorsPerCluster);
                if (bot.Read(sector, data) is { } e) return e;
                return Checks.Expect(known[1] + "\n", Encoding.ASCII.GetString(data, 0, size), "content");
            }
            return $"no {name} in the root directory";
        });

        checks.Run("usb: mass storage: release and AttachKernelDriver give the interface back to usb-storage", () =>
            Ok(handle.ReleaseInterface(0), "release") ?? Ok(handle.AttachKernelDriver(0), "attach")
            ?? (handle.KernelDriverActive(0, out bool active) == UsbError.Success && active ? null : "usb-storage is not bound again"));
        _ = msc;
    }

    /// <summary>Bulk-Only Transport: CBW, data, CSW.</summary>
    private sealed class Bot(UsbDeviceHandle handle, byte bulkOut, byte bulkIn)
    {
        private uint _tag = 0x1000;

        public string? Read(uint lba, Span<byte> sector)
        {
            var buffer = new byte[512];
            byte[] cdb = [0x28, 0, (byte)(lba >> 24), (byte)(lba >> 16), (byte)(lba >> 8), (byte)lba, 0, 0, 1, 0];
            if (Command(cdb, buffer, true, out int n) is { } e) return e;
            if (n != 512) return $"READ(10) of {lba}: {n} bytes";
            buffer.CopyTo(sector);
            return null;
        }

        public string? Command(byte[] cdb, byte[] data, bool isIn, out int moved)
        {
            moved = 0;
            uint tag = ++_tag;
            var cbw = new byte[31];
            "USBC"u8.CopyTo(cbw);
            BinaryPrimitives.WriteUInt32LittleEndian(cbw.AsSpan(4), tag);
            BinaryPrimitives.WriteUInt32LittleEndian(cbw.AsSpan(8), (uint)data.Length);
            cbw[12] = isIn ? (byte)0x80 : (byte)0;
            cbw[14] = (byte)cdb.Length;
            cdb.CopyTo(cbw, 15);
            if (Ok(handle.BulkTransfer(bulkOut, cbw, Timeout, out _), "CBW") is { } e) return e;
            if (data.Length > 0 && Ok(handle.BulkTransfer(isIn ? bulkIn : bulkOut, data, Timeout, out moved), "data") is { } e2) return e2;
            var csw = new byte[13];
            if (Ok(handle.BulkTransfer(bulkIn, csw, Timeout, out int n), "CSW") is { } e3) return e3;
            if (n != 13 || !csw.AsSpan(0, 4).SequenceEqual("USBS"u8)) return $"not a CSW: {Convert.ToHexString(csw, 0, n)}";
            if (BinaryPrimitives.ReadUInt32LittleEndian(csw.AsSpan(4)) != tag) return "CSW tag differs from the CBW's";
            return csw[12] == 0 ? null : $"CSW status {csw[12]} (residue {BinaryPrimitives.ReadUInt32LittleEndian(csw.AsSpan(8))})";
        }
    }

    private static readonly byte[] HidReportDescriptor =
    [
        0x06, 0x00, 0xff, 0x09, 0x01, 0xa1, 0x01, 0x15, 0x00, 0x26, 0xff, 0x00, 0x75, 0x08, 0x95, 0x08,
        0x09, 0x01, 0x81, 0x02, 0x95, 0x08, 0x09, 0x01, 0x91, 0x02, 0xc0,
    ];

    private static void InterruptChecks(Checks checks, LibusbBackend backend)
    {
        var device = Find(backend, HidProduct);
        UsbEndpointDescriptor? inEp = null, outEp = null;
        checks.Run("usb: lists the HID gadget 1209:000c: interface 0 is class 03 with interrupt IN and OUT of 8 bytes", () =>
        {
            if (device is null) return "no 1209:000c among the devices libusb lists";
            var i = device.Configurations[0].FindInterface(0);
            if (i is null) return "no interface 0";
            inEp = i.Endpoints.FirstOrDefault(e => e.IsIn && e.TransferType == UsbTransferType.Interrupt);
            outEp = i.Endpoints.FirstOrDefault(e => !e.IsIn && e.TransferType == UsbTransferType.Interrupt);
            if (inEp is null || outEp is null) return "interrupt endpoints missing";
            return Checks.Expect((byte)0x03, i.InterfaceClass, "class") ?? Checks.Expect((8, 8), (inEp.PacketSize, outEp.PacketSize), "packet sizes")
                ?? Checks.Expect(true, i.Extra.Length >= 9 && i.Extra.Span[1] == 0x21, "HID descriptor kept as the interface's extra bytes");
        });
        if (device is null || inEp is null || outEp is null || device.Open(out var opened) != UsbError.Success) return;
        using var handle = opened!;

        checks.Run("usb: HID: a class request to the interface before claiming gives NotFound; after, GET_DESCRIPTOR(REPORT) returns the report descriptor", () =>
        {
            var report = new byte[HidReportDescriptor.Length];
            var early = handle.ControlTransfer(0x81, 0x06, 0x2200, 0, report, Timeout, out _);
            if (early != UsbError.NotFound) return $"before claiming: {early}";
            if (Ok(handle.KernelDriverActive(0, out bool active), "kernel driver active") is { } e) return e;
            if (active && Ok(handle.DetachKernelDriver(0), "detach usbhid") is { } e1) return e1;
            if (Ok(handle.ClaimInterface(0), "claim") is { } e2) return e2;
            if (Ok(handle.ControlTransfer(0x81, 0x06, 0x2200, 0, report, Timeout, out int n), "GET_DESCRIPTOR(REPORT)") is { } e3) return e3;
            return Checks.ExpectBytes(HidReportDescriptor, report.AsSpan(0, n), "report descriptor");
        });

        checks.Run("usb: interrupt OUT then IN: 8-byte reports come back through the gadget's /dev/hidg0 echo", () =>
        {
            // f_hid ends each report that fills a whole packet with a zero-length packet, so an IN
            // transfer longer than the report ends right after it (with a report-sized buffer, the
            // next read would receive that empty packet instead: seen before this was so).
            var back = new byte[64];
            for (int round = 0; round < 5; round++)
            {
                byte[] sent = [(byte)round, 1, 2, 3, 4, 5, 6, (byte)(0xF0 + round)];
                if (Ok(handle.InterruptTransfer(outEp.Address, sent, Timeout, out int n), "interrupt OUT") is { } e) return e;
                if (n != 8) return $"OUT moved {n}";
                if (Ok(handle.InterruptTransfer(inEp.Address, back, Timeout, out n), "interrupt IN") is { } e2) return e2;
                if (Checks.ExpectBytes(sent, back.AsSpan(0, n), $"report {round}") is { } e3) return e3;
            }
            return null;
        });

        checks.Run("usb: an asynchronous interrupt IN submitted first completes once the OUT report is echoed", () =>
        {
            if (Ok(handle.AllocateTransfer(UsbTransferType.Interrupt, inEp.Address, 64, 0, out var i), "allocate IN") is { } e) return e;
            using (i)
            {
                i!.Length = 64;
                if (Ok(i.Submit(), "submit IN") is { } e1) return e1;
                byte[] sent = [9, 8, 7, 6, 5, 4, 3, 2];
                if (Ok(handle.InterruptTransfer(outEp.Address, sent, Timeout, out _), "interrupt OUT") is { } e2) return e2;
                if (i.Wait() != UsbTransferStatus.Completed) return $"IN {i.Status}";
                return Checks.ExpectBytes(sent, i.ActualData, "echoed report");
            }
        });
    }

    private static void HotplugChecks(Checks checks, LibusbBackend backend, string lb)
    {
        string[] parts = lb.Split(':');
        string udcFile = Path.Combine(parts[0], "UDC"), udc = parts[1];
        checks.Run("usb: hotplug: unbinding the gadget's UDC ends a pending transfer (Error or NoDevice), reports Left, then NoDevice; binding reports Arrived", () =>
        {
            if (!backend.SupportsHotplug) return "libusb reports no hotplug capability";
            var device = Find(backend, LoopbackProduct);
            if (device is null) return "the loopback gadget is not listed";
            var events = new BlockingCollection<UsbHotplugEvent>();
            using var subscription = backend.SubscribeHotplug(events.Add);
            if (Ok(device.Open(out var h), "open") is { } e) return e;
            using var handle = h!;
            byte lbIn = Endpoint(device, LoopbackInterface, true).Address;
            if (Ok(handle.ClaimInterface(LoopbackInterface), "claim") is { } e1) return e1;
            if (Ok(handle.AllocateTransfer(UsbTransferType.Bulk, lbIn, 64, 0, out var t), "allocate") is { } e2) return e2;
            using (t)
            {
                if (Ok(t!.Submit(), "submit") is { } e3) return e3;
                File.WriteAllText(udcFile, "\n");
                var left = Next(events, UsbHotplugEventKind.Left, LoopbackProduct);
                if (left is null) return "no Left event within 20 s";
                if (!ReferenceEquals(left.Value.Device, device)) return "Left reported another object than the one listed";
                if (device.IsConnected) return "the device still says it is connected";
                // What a transfer in flight at an unplug reports is the host controller's word:
                // dummy_hcd fails it with a protocol error (libusb: Error) before the hub
                // notices the port (NoDevice); real controllers do either.
                if (t.Wait() is not (UsbTransferStatus.NoDevice or UsbTransferStatus.Error)) return $"the pending transfer ended {t.Status}";
                if (t.Submit() != UsbError.NoDevice) return "submitting again after the departure was not NoDevice";
                if (handle.ClaimInterface(LoopbackInterface) != UsbError.NoDevice) return "claiming after the departure was not NoDevice";
            }
            if (device.Open(out _) != UsbError.NoDevice) return "opening the departed device was not NoDevice";
            File.WriteAllText(udcFile, udc + "\n");
            var arrived = Next(events, UsbHotplugEventKind.Arrived, LoopbackProduct);
            if (arrived is null) return "no Arrived event within 20 s";
            if (ReferenceEquals(arrived.Value.Device, device)) return "the returning device is the old object";
            return Find(backend, LoopbackProduct) is { } again && ReferenceEquals(again, arrived.Value.Device) ? null : "the listing does not show the arrived object";
        });
    }

    private static UsbHotplugEvent? Next(BlockingCollection<UsbHotplugEvent> events, UsbHotplugEventKind kind, ushort product)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            if (!events.TryTake(out var e, TimeSpan.FromMilliseconds(200))) continue;
            if (e.Kind == kind && e.Device.Descriptor.VendorId == Vendor && e.Device.Descriptor.ProductId == product) return e;
        }
        return null;
    }
}
