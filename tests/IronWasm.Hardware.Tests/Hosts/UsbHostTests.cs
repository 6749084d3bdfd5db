using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using LibusbError = IronWasm.Hardware.Bindings.WasiUsb.Errors.LibusbError;

namespace IronWasm.Hardware.Tests.Hosts;

/// <summary>component:usb through the generated bindings, on the simulated echo, mass-storage and gamepad devices.</summary>
public class UsbHostTests
{
    internal const string Policy = """
        guests:
          ping:
            usb:
              - { vendor: 0x1209, product: 0x0001, interfaces: [0, 1] }
          narrow:
            usb:
              - { vendor: 0x1209, product: 0x0001, interfaces: [0] }
          other:
            usb:
              - { vendor: 0x1209, product: 0x0001 }
          disk:
            usb:
              - { vendor: 0x1209, serial: "120900020001" }
          gamer:
            usb:
              - class: hid
        """;

    private const int Control = 0, Bulk = 1, Interrupt = 2, Isochronous = 3;
    private const ushort EchoProduct = 0x0001, DiskProduct = 0x0002, PadProduct = 0x0003;

    private static byte[] Payload(int length) => Enumerable.Range(1, length).Select(i => (byte)i).ToArray();

    private static int OpenEchoWithInterface0(UsbGuest guest)
    {
        int handle = guest.OpenDevice(EchoProduct);
        Assert.Null(guest.Unit("claim", handle, 0));
        return handle;
    }

    // ---- listing and descriptors ----------------------------------------------------------------

    [Fact]
    public void InitSucceedsWhenTheInventoryHasAUsbBackend()
    {
        using var rig = new UsbRig(Policy);
        Assert.Null(rig.Guest("ping").Unit("init"));
    }

    [Fact]
    public void WithoutAUsbBackendEveryFunctionIsNotSupported()
    {
        using var inventory = new IronWasm.Hardware.Hosts.HardwareInventory();
        using var host = new IronWasm.Hardware.Hosts.HardwareHost(inventory, new PolicyEngine(AccessPolicy.Parse(Policy)));
        var guest = new UsbGuest(new Engine(), host, "ping");
        Assert.Equal(LibusbError.NotSupported, guest.Unit("init"));
        Assert.Equal(LibusbError.NotSupported, guest.List("list").Error);
        Assert.Equal(LibusbError.NotSupported, guest.Unit("hotplug"));
        Assert.Empty(guest.PollEvents());
    }

    [Fact]
    public void TheActiveConfigurationOfAnUnconfiguredDeviceIsNotFound()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int device = guest.Find(EchoProduct).Handle;
        int handle = guest.OpenDevice(EchoProduct);
        Assert.Null(guest.Unit("setconf", handle, 0, 0));
        Assert.Null(guest.Configuration("cfgact", device));
        Assert.Equal(LibusbError.NotFound, (LibusbError)guest.U8(UsbGuest.Ret + 4));
    }

    [Fact]
    public void TheInventoryDescribesTheConnectedUsbDevices()
    {
        using var rig = new UsbRig(Policy);
        var usb = rig.Inventory.Describe().Where(e => e.Kind == "usb").ToArray();
        Assert.Equal(["1209:0001/ECHO0001", "1209:0002/120900020001", "1209:0003/PAD0001"], usb.Select(e => e.Name).Order().ToArray());
        Assert.Contains("Echo (ping) device", usb.Single(e => e.Name.StartsWith("1209:0001")).Description);
    }

    [Fact]
    public void ListDevicesShowsOnlyTheDevicesThePolicyGrants()
    {
        using var rig = new UsbRig(Policy);
        var ping = Assert.Single(rig.Guest("ping").ListDevices());
        Assert.Equal((0x1209, EchoProduct, 3), (ping.VendorId, ping.ProductId, (int)ping.Speed));
        Assert.Equal(DiskProduct, Assert.Single(rig.Guest("disk").ListDevices()).ProductId);
        Assert.Equal(PadProduct, Assert.Single(rig.Guest("gamer").ListDevices()).ProductId);
        Assert.Empty(rig.Guest("rogue").ListDevices());
    }

    [Fact]
    public void ConfigurationDescriptorsDescribeEveryInterfaceAndEndpoint()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int device = guest.Find(EchoProduct).Handle;
        var (value, interfaces) = guest.Configuration("cfg", device, 0)!.Value;
        Assert.Equal(1, value);
        Assert.Equal((0, 0, 0xff), (interfaces[0].Number, interfaces[0].Alt, interfaces[0].Class));
        Assert.Equal([0x01, 0x81, 0x02, 0x82], interfaces[0].Endpoints);
        Assert.Contains(interfaces, i => i.Number == 1 && i.Alt == 1 && i.Endpoints.SequenceEqual([0x03, 0x83]));
        Assert.Equal(value, guest.Configuration("cfgval", device, 1)!.Value.Value);
        Assert.Equal(value, guest.Configuration("cfgact", device)!.Value.Value);
        Assert.Null(guest.Configuration("cfg", device, 5));
        Assert.Equal(LibusbError.NotFound, (LibusbError)guest.U8(UsbGuest.Ret + 4));
        Assert.Null(guest.Configuration("cfgval", device, 9));
        guest.Call("dropdev", device);
        Assert.Equal(0, guest.HandleCount);
    }

    // ---- open, exclusive open, claims -----------------------------------------------------------

    [Fact]
    public void ADeviceIsOpenInOneGuestAtATimeAndTheSecondOpenIsAnAuditedAccessError()
    {
        using var rig = new UsbRig(Policy);
        var first = rig.Guest("ping");
        int handle = first.OpenDevice(EchoProduct);
        var second = rig.Guest("other");
        Assert.Equal(LibusbError.Access, second.Handle("open", second.Find(EchoProduct).Handle).Error);
        var denial = Assert.Single(rig.Denials());
        Assert.Equal(("other", "1209:0001/ECHO0001", "open", "in-use"), (denial.Guest, denial.Resource, denial.Operation, denial.Reason));

        first.Call("close", handle);
        Assert.Null(second.Handle("open", second.Find(EchoProduct).Handle).Error);
    }

    [Fact]
    public void DroppingTheDeviceHandleClosesTheDeviceForOthers()
    {
        using var rig = new UsbRig(Policy);
        var first = rig.Guest("ping");
        first.Call("drophandle", first.OpenDevice(EchoProduct));
        var second = rig.Guest("other");
        Assert.Null(second.Handle("open", second.Find(EchoProduct).Handle).Error);
    }

    [Fact]
    public void OpeningADeviceTheGuestMayNotSeeIsAnAuditedAccessError()
    {
        using var rig = new UsbRig(Policy);
        var ping = rig.Guest("ping");
        int echo = ping.Find(EchoProduct).Handle;
        rig.Policy.Replace(AccessPolicy.Parse("guests:\n  ping:\n    usb: [ { vendor: 0x1209, product: 0x0002 } ]\n"));
        Assert.Equal(LibusbError.Access, ping.Handle("open", echo).Error);
        Assert.Equal("resource-not-granted", Assert.Single(rig.Denials()).Reason);
    }

    [Fact]
    public void ClaimingAGrantedInterfaceSucceedsAndAnUngrantedOneIsAnAuditedAccessError()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("narrow");
        int handle = guest.OpenDevice(EchoProduct);
        Assert.Null(guest.Unit("claim", handle, 0));
        Assert.Equal(LibusbError.Access, guest.Unit("claim", handle, 1));
        var denial = Assert.Single(rig.Denials());
        Assert.Equal(("claim-interface/1", "interface-not-granted"), (denial.Operation, denial.Reason));
        Assert.Null(guest.Unit("release", handle, 0));
        Assert.Equal(LibusbError.NotFound, guest.Unit("release", handle, 0));
    }

    [Fact]
    public void AControlRequestToAnInterfaceNotGrantedIsRefusedAtNewTransfer()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("narrow");
        int handle = guest.OpenDevice(EchoProduct);
        Assert.Equal(LibusbError.Access, guest.NewTransfer(handle, Control, 0, 8, requestType: 0xC1, request: 1, index: 1).Error);
        Assert.Equal("control/1", Assert.Single(rig.Denials()).Operation);
    }

    [Fact]
    public void KernelDriverOperationsNeedTheInterfaceGrantedAndWorkOnTheMassStorageDevice()
    {
        using var rig = new UsbRig(Policy);
        var disk = rig.Guest("disk");
        int handle = disk.OpenDevice(DiskProduct);
        Assert.Equal((1, (LibusbError?)null), disk.Small("kactive", handle, 0));
        Assert.Equal(LibusbError.Busy, disk.Unit("claim", handle, 0));
        Assert.Null(disk.Unit("kdetach", handle, 0));
        Assert.Equal((0, (LibusbError?)null), disk.Small("kactive", handle, 0));
        Assert.Null(disk.Unit("claim", handle, 0));
        Assert.Null(disk.Unit("release", handle, 0));
        Assert.Null(disk.Unit("kattach", handle, 0));

        var narrow = rig.Guest("narrow");
        int echo = narrow.OpenDevice(EchoProduct);
        Assert.Equal(LibusbError.Access, narrow.Unit("kdetach", echo, 1));
        Assert.Equal(LibusbError.Access, narrow.Small("kactive", echo, 1).Error);
        Assert.Equal(LibusbError.Access, narrow.Unit("kattach", echo, 1));
        Assert.Equal(3, rig.Denials().Count);
    }

    // ---- configuration, alternate settings, halts, reset, streams --------------------------------

    [Fact]
    public void GetAndSetConfigurationIncludingUnconfigured()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = guest.OpenDevice(EchoProduct);
        Assert.Equal((1, (LibusbError?)null), guest.Small("getconf", handle));
        Assert.Null(guest.Unit("setconf", handle, 0, 0));
        Assert.Equal((0, (LibusbError?)null), guest.Small("getconf", handle));
        Assert.Null(guest.Unit("setconf", handle, 1, 1));
        Assert.Equal(LibusbError.NotFound, guest.Unit("setconf", handle, 1, 7));
        Assert.Equal((1, (LibusbError?)null), guest.Small("getconf", handle));
    }

    [Fact]
    public void AlternateSettingsNeedAClaimedInterface()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = guest.OpenDevice(EchoProduct);
        Assert.Equal(LibusbError.NotFound, guest.Unit("alt", handle, 1, 1));
        Assert.Null(guest.Unit("claim", handle, 1));
        Assert.Null(guest.Unit("alt", handle, 1, 1));
        Assert.Equal(LibusbError.NotFound, guest.Unit("alt", handle, 1, 5));
    }

    [Fact]
    public void ResetKeepsTheHandleUsable()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        Assert.Null(guest.Unit("reset", handle));
        Assert.Equal(0, guest.Ping(handle, guest.Put(Payload(32)), 32, 64));
    }

    [Fact]
    public void StreamsAreNotSupportedBelowSuperSpeed()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        int endpoints = guest.Put([0x81, 0x01]);
        Assert.Equal(LibusbError.NotSupported, guest.Unit("alloc", handle, 4, endpoints, 2));
        Assert.Equal(LibusbError.NotSupported, guest.Unit("free", handle, endpoints, 2));
    }

    // ---- transfers ------------------------------------------------------------------------------

    [Theory]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(512)]
    public void ABulkRoundTripEchoesThePayload(int length)
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        var data = Payload(length);
        Assert.Equal([], guest.Transfer(handle, Bulk, 0x01, data, size: 1024).Data!);
        // A full packet does not end an IN transfer, so read at most a packet's worth.
        Assert.Equal(data, guest.Transfer(handle, Bulk, 0x81, [], size: 512).Data!);
    }

    [Fact]
    public void AnInterruptRoundTripEchoesThePayload()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        Assert.Null(guest.Transfer(handle, Interrupt, 0x02, Payload(16)).Error);
        Assert.Equal(Payload(16), guest.Transfer(handle, Interrupt, 0x82, [], size: 64).Data!);
    }

    [Fact]
    public void AnIsochronousRoundTripEchoesThePacket()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = guest.OpenDevice(EchoProduct);
        Assert.Null(guest.Unit("claim", handle, 1));
        Assert.Null(guest.Unit("alt", handle, 1, 1));
        Assert.Null(guest.Transfer(handle, Isochronous, 0x03, Payload(32), size: 32, isoPackets: 1).Error);
        Assert.Equal(Payload(32), guest.Transfer(handle, Isochronous, 0x83, [], size: 1024, isoPackets: 1).Data!);
    }

    [Fact]
    public void AControlTransferStoresAndReadsBackAVendorRequestsData()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = guest.OpenDevice(EchoProduct);
        Assert.Null(guest.Transfer(handle, Control, 0, Payload(20), size: 64, requestType: 0x40, request: EchoDevice.EchoRequest).Error);
        var (data, error) = guest.Transfer(handle, Control, 0, [], size: 20, requestType: 0xC0, request: EchoDevice.EchoRequest);
        Assert.Null(error);
        Assert.Equal(Payload(20), data!);
    }

    [Fact]
    public void TransfersOnAnInterfaceNotClaimedAreNotFound()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = guest.OpenDevice(EchoProduct);
        Assert.Equal(LibusbError.NotFound, guest.Transfer(handle, Bulk, 0x01, Payload(4)).Error);
    }

    [Fact]
    public void BadTransferParametersAreInvalidParam()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        Assert.Equal(LibusbError.InvalidParam, guest.NewTransfer(handle, Bulk, 0x70, 64).Error);
        Assert.Equal(LibusbError.InvalidParam, guest.NewTransfer(handle, Isochronous, 0x83, 64, isoPackets: 0).Error);
        Assert.Equal(LibusbError.InvalidParam, guest.NewTransfer(handle, Bulk, 0x01, 64 << 20).Error);
        var (t, _) = guest.NewTransfer(handle, Bulk, 0x01, 8);
        Assert.Equal(LibusbError.Overflow, guest.Submit(t, Payload(9)));
        Assert.Equal(LibusbError.NotFound, guest.Await(t).Error);
    }

    [Fact]
    public void CancellingAPendingTransferMakesItsAwaitInterrupted()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        var (t, _) = guest.NewTransfer(handle, Bulk, 0x81, 64, timeoutMs: 0);
        Assert.Null(guest.Submit(t, []));
        Assert.Null(guest.Unit("cancel", t));
        Assert.Equal(LibusbError.Interrupted, guest.Await(t).Error);
        Assert.Equal(0, guest.Ping(handle, guest.Put(Payload(8)), 8, 64));
    }

    [Fact]
    public void DroppingAPendingTransferCancelsIt()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        var (t, _) = guest.NewTransfer(handle, Bulk, 0x81, 64, timeoutMs: 0);
        Assert.Null(guest.Submit(t, []));
        guest.Call("dropxfer", t);
        Assert.Equal(0, guest.Ping(handle, guest.Put(Payload(8)), 8, 64));
    }

    [Fact]
    public void ABulkRoundTripThroughTheHostAllocatesNothingOnceWarm()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        int data = guest.Put(Payload(32));
        var ping = guest.Ping;
        for (int i = 0; i < 100; i++) Assert.Equal(0, ping(handle, data, 32, 64));
        // Steady state is what counts: a batch may still see the runtime's one-off work (tiered
        // JIT installing code under load), so the best of three batches of 1000 must allocate nothing.
        long fewest = long.MaxValue;
        for (int batch = 0; batch < 3 && fewest != 0; batch++)
        {
            guest.ResetHeap();
            long before = GC.GetAllocatedBytesForCurrentThread();
            int failures = 0;
            for (int i = 0; i < 1000; i++) failures += ping(handle, data, 32, 64);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, failures);
            fewest = Math.Min(fewest, allocated);
        }
        Assert.Equal(0, fewest);
    }

    // ---- faults ---------------------------------------------------------------------------------

    [Fact]
    public void AStallIsPipeUntilTheHaltIsCleared()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        rig.Echo.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.Once, EchoDevice.BulkOut));
        Assert.Equal(LibusbError.Pipe, guest.Transfer(handle, Bulk, 0x01, Payload(8)).Error);
        Assert.Equal(LibusbError.Pipe, guest.Transfer(handle, Bulk, 0x01, Payload(8)).Error);
        Assert.Null(guest.Unit("halt", handle, 0x01));
        Assert.Equal(0, guest.Ping(handle, guest.Put(Payload(8)), 8, 64));
    }

    [Fact]
    public void ATimeoutIsTimeout()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        rig.Echo.InjectFault(new UsbFault(UsbFaultKind.Timeout, FaultTrigger.Once, EchoDevice.BulkOut));
        Assert.Equal(LibusbError.Timeout, guest.Transfer(handle, Bulk, 0x01, Payload(8), timeoutMs: 20).Error);
        Assert.Equal(0, guest.Ping(handle, guest.Put(Payload(8)), 8, 64));
    }

    [Fact]
    public void ADisconnectMidTransferIsNoDeviceAndTheHostSurvives()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        rig.Echo.InjectFault(new UsbFault(UsbFaultKind.Disconnect, FaultTrigger.Once, EchoDevice.BulkOut));
        Assert.Equal(LibusbError.NoDevice, guest.Transfer(handle, Bulk, 0x01, Payload(1024), size: 1024).Error);
        Assert.Equal(LibusbError.NoDevice, guest.Unit("claim", handle, 0));
        Assert.Empty(guest.ListDevices());

        rig.Echo.ClearFaults();
        rig.Usb.Plug(rig.Echo);
        int again = OpenEchoWithInterface0(guest);
        Assert.Equal(0, guest.Ping(again, guest.Put(Payload(8)), 8, 64));
    }

    // ---- hotplug --------------------------------------------------------------------------------

    [Fact]
    public void HotplugReportsOnlyTheDevicesThePolicyLetsTheGuestSee()
    {
        using var rig = new UsbRig(Policy);
        var gamer = rig.Guest("gamer");
        Assert.Null(gamer.Unit("hotplug"));
        Assert.Empty(gamer.PollEvents());

        var pad = new GamepadDevice("pad2", "PAD2");
        rig.Usb.Plug(new EchoDevice("echo2", "ECHO0002"));
        rig.Usb.Plug(pad);
        var arrived = Assert.Single(gamer.PollEvents());
        Assert.Equal((1, (ushort)0x1209, PadProduct), (arrived.Event, arrived.Vendor, arrived.Product));
        Assert.Null(gamer.Handle("open", arrived.Device).Error);

        rig.Usb.Unplug(pad);
        var left = Assert.Single(gamer.PollEvents());
        Assert.Equal((2, PadProduct), (left.Event, left.Product));
    }

    // ---- revocation and shutdown ----------------------------------------------------------------

    [Fact]
    public void ARevokedDeviceAnswersAccessAndIsFreedForAGuestTheNewPolicyGrants()
    {
        using var rig = new UsbRig(Policy);
        var ping = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(ping);
        rig.Policy.Replace(AccessPolicy.Parse(Policy.Replace("- { vendor: 0x1209, product: 0x0001, interfaces: [0, 1] }", "- { vendor: 0x1209, product: 0x0009 }")));
        Assert.Equal(LibusbError.Access, ping.Small("getconf", handle).Error);
        Assert.Equal(LibusbError.InvalidParam, ping.Unit("claim", handle, 0));
        var other = rig.Guest("other");
        Assert.Null(other.Handle("open", other.Find(EchoProduct).Handle).Error);
    }

    [Fact]
    public void ReleasingAnInstanceClosesItsDevicesAndHotplug()
    {
        using var rig = new UsbRig(Policy);
        var ping = rig.Guest("ping");
        OpenEchoWithInterface0(ping);
        Assert.Null(ping.Unit("hotplug"));
        Assert.Equal(2, rig.Host.Release(ping.Canonical));
        var other = rig.Guest("other");
        Assert.Null(other.Handle("open", other.Find(EchoProduct).Handle).Error);
        Assert.Equal(1, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void AGuestWaitingInAwaitTransferWakesWhenTheHostIsDisposed()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        var (t, _) = guest.NewTransfer(handle, Bulk, 0x81, 64, timeoutMs: 0);
        Assert.Null(guest.Submit(t, []));
        var waiting = Task.Run(() => guest.Await(t));
        while (waiting.Status != TaskStatus.Running) Thread.Yield();
        rig.Host.Dispose();
        Assert.True(waiting.Wait(TimeSpan.FromSeconds(30)), "await-transfer did not return");
        Assert.Equal(LibusbError.Interrupted, waiting.Result.Error);
    }

    [Fact]
    public void AfterTheHostIsDisposedEveryCallIsNoDevice()
    {
        using var rig = new UsbRig(Policy);
        var guest = rig.Guest("ping");
        int handle = OpenEchoWithInterface0(guest);
        rig.Host.Dispose();
        Assert.Equal(LibusbError.NoDevice, guest.Unit("claim", handle, 0));
        Assert.Equal(LibusbError.NoDevice, guest.Unit("init"));
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }
}
