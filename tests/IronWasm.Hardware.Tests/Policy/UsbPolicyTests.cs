using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Policy;

public class UsbPolicyTests
{
    private const string Rules = """
        guests:
          ping:
            usb:
              - vendor: 0x1209
                product: 0x0001
                interfaces: [0]
          disk:
            usb:
              - vendor: 0x1209
                serial: "120900020001"
          hid:
            usb:
              - class: hid
          composite:
            usb:
              - vendor: 4617
                class: 0xff
                interfaces: [1-2]
        """;

    private static readonly AccessPolicy Policy = AccessPolicy.Parse(Rules, "usb.yaml");

    // A vendor-specific device (class 0) with interfaces 0 and 1 vendor-specific, 2 HID.
    private static UsbDeviceIdentity Device(ushort vendor = 0x1209, ushort product = 0x0001, string? serial = "S1", byte deviceClass = 0) =>
        new(vendor, product, serial, deviceClass, [(0, 0xff), (1, 0xff), (2, 0x03)]);

    private static PolicyEngine NewEngine(string yaml = Rules) =>
        new(AccessPolicy.Parse(yaml, "usb.yaml"), new PolicyEngineOptions { TimeProvider = new ManualClock() });

    // ---- matching -------------------------------------------------------------------------------

    [Fact]
    public void A_vendor_and_product_rule_grants_that_device()
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckUsb("ping", Device()));
    }

    [Theory]
    [InlineData(0x1209, 0x0002)]
    [InlineData(0x1208, 0x0001)]
    public void A_vendor_and_product_rule_denies_other_products_and_vendors(ushort vendor, ushort product)
    {
        Assert.Equal(PolicyVerdict.ResourceNotGranted, Policy.CheckUsb("ping", Device(vendor, product)));
    }

    [Fact]
    public void A_serial_rule_grants_only_the_device_with_that_serial()
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckUsb("disk", Device(product: 2, serial: "120900020001")));
        Assert.Equal(PolicyVerdict.ResourceNotGranted, Policy.CheckUsb("disk", Device(product: 2, serial: "120900020002")));
        Assert.Equal(PolicyVerdict.ResourceNotGranted, Policy.CheckUsb("disk", Device(product: 2, serial: null)));
    }

    [Fact]
    public void A_class_rule_grants_a_device_of_that_device_class_with_all_its_interfaces()
    {
        var hidDevice = new UsbDeviceIdentity(0x045e, 0x028e, null, 0x03, [(0, 0x03), (1, 0x03)]);
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckUsbInterface("hid", hidDevice, 1));
    }

    [Fact]
    public void A_class_rule_grants_only_the_interfaces_of_that_class_on_a_composite_device()
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckUsbInterface("hid", Device(), 2));
        Assert.Equal(PolicyVerdict.InterfaceNotGranted, Policy.CheckUsbInterface("hid", Device(), 0));
    }

    [Fact]
    public void A_class_rule_denies_a_device_without_that_class_anywhere()
    {
        var storage = new UsbDeviceIdentity(0x1209, 0x0002, null, 0, [(0, 0x08)]);
        Assert.Equal(PolicyVerdict.ResourceNotGranted, Policy.CheckUsb("hid", storage));
    }

    [Fact]
    public void An_interfaces_list_grants_those_interfaces_and_denies_the_others()
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckUsbInterface("ping", Device(), 0));
        Assert.Equal(PolicyVerdict.InterfaceNotGranted, Policy.CheckUsbInterface("ping", Device(), 1));
    }

    [Fact]
    public void Class_and_interfaces_together_grant_their_intersection()
    {
        Assert.Equal(PolicyVerdict.InterfaceNotGranted, Policy.CheckUsbInterface("composite", Device(), 0));
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckUsbInterface("composite", Device(), 1));
        Assert.Equal(PolicyVerdict.InterfaceNotGranted, Policy.CheckUsbInterface("composite", Device(), 2));
    }

    [Fact]
    public void Without_an_interfaces_list_every_interface_is_granted()
    {
        var device = Device(product: 2, serial: "120900020001");
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckUsbInterface("disk", device, 0));
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckUsbInterface("disk", device, 255));
    }

    [Fact]
    public void Unknown_guests_and_guests_without_usb_rules_are_denied()
    {
        Assert.Equal(PolicyVerdict.UnknownGuest, Policy.CheckUsb("rogue", Device()));
        var noUsb = AccessPolicy.Parse("guests:\n  app:\n    spi: [ { device: flash0 } ]\n");
        Assert.Equal(PolicyVerdict.ResourceNotGranted, noUsb.CheckUsb("app", Device()));
    }

    [Fact]
    public void Default_usb_grants_apply_to_every_guest()
    {
        var policy = AccessPolicy.Parse("default:\n  usb:\n    - vendor: 0x1209\nguests:\n  app: {}\n");
        Assert.Equal(PolicyVerdict.Granted, policy.CheckUsb("app", Device()));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckUsb("unnamed", Device()));
    }

    [Fact]
    public void The_identity_of_a_simulated_device_has_its_descriptor_serial_and_interface_classes()
    {
        using var usb = new SimulatedUsbBackend(UsbBusTiming.ZeroLatency);
        var identity = UsbDeviceIdentity.Of(usb.Plug(new EchoDevice()));
        Assert.Equal((0x1209, 0x0001, "ECHO0001"), (identity.VendorId, identity.ProductId, identity.SerialNumber));
        Assert.Contains(((byte)1, (byte)0xff), identity.InterfaceClasses);
        Assert.Equal("1209:0001/ECHO0001", identity.Name);
    }

    // ---- the format -----------------------------------------------------------------------------

    [Theory]
    [InlineData("- { product: 1 }", "needs its 'vendor' too")]
    [InlineData("- { interfaces: [0] }", "must name a 'vendor', 'serial' or 'class'")]
    [InlineData("- { vendor: 0x10000 }", "vendor id 0x10000 is out of range")]
    [InlineData("- { vendor: abc }", "bad vendor id 'abc'")]
    [InlineData("- { class: toaster }", "bad class 'toaster'")]
    [InlineData("- { vendor: 1, interfaces: [] }", "'interfaces' is empty")]
    [InlineData("- { vendor: 1, interfaces: [256] }", "bad interface '256'")]
    [InlineData("- { vendor: 1, interfaces: [3-1] }", "backwards interface range")]
    [InlineData("- { vendor: 1, serial: '' }", "serial number of a usb grant is empty")]
    [InlineData("- { vendor: 1, speed: high }", "unknown key 'speed' in a usb grant")]
    public void Bad_usb_grants_are_errors_with_a_clear_message(string grant, string message)
    {
        var e = Assert.Throws<PolicyFormatException>(() => AccessPolicy.Parse($"guests:\n  g:\n    usb:\n      {grant}\n", "t.yaml"));
        Assert.Contains(message, e.Message);
        Assert.Equal(4, e.Line);
    }

    // ---- the engine: leases, audit, revocation --------------------------------------------------

    [Fact]
    public void Opening_a_granted_device_gives_a_lease_and_a_denied_one_is_audited()
    {
        var engine = NewEngine();
        Assert.Equal(PolicyVerdict.Granted, engine.OpenUsbDevice("ping", Device(), out var lease));
        Assert.NotNull(lease);
        Assert.Equal(PolicyVerdict.ResourceNotGranted, engine.OpenUsbDevice("ping", Device(product: 9), out var none));
        Assert.Null(none);
        var record = Assert.Single(engine.RecentAudit());
        Assert.Equal((AuditEvent.Denied, "ping", (PolicyInterface?)PolicyInterface.Usb, "1209:0009/S1", "open", "resource-not-granted"),
            (record.Event, record.Guest, record.Interface, record.Resource, record.Operation, record.Reason));
    }

    [Fact]
    public void Claiming_an_interface_not_granted_is_denied_and_audited()
    {
        var engine = NewEngine();
        engine.OpenUsbDevice("ping", Device(), out var lease);
        Assert.Equal(PolicyVerdict.Granted, lease!.CheckInterface(0));
        Assert.Equal(PolicyVerdict.InterfaceNotGranted, lease.CheckInterface(1));
        var record = Assert.Single(engine.RecentAudit());
        Assert.Equal(("1209:0001/S1", "claim-interface/1", "interface-not-granted"), (record.Resource, record.Operation, record.Reason));
        var counter = Assert.Single(engine.Counters());
        Assert.Equal((PolicyInterface.Usb, 2L, 1L), (counter.Interface, counter.Granted, counter.Denied));
    }

    [Fact]
    public void Visibility_is_the_policy_decision_without_audit()
    {
        var engine = NewEngine();
        Assert.True(engine.IsUsbDeviceVisible("ping", Device()));
        Assert.False(engine.IsUsbDeviceVisible("ping", Device(product: 2)));
        Assert.False(engine.IsUsbDeviceVisible("rogue", Device()));
        Assert.Empty(engine.RecentAudit());
    }

    [Fact]
    public void A_replacement_that_no_longer_matches_the_device_revokes_its_lease()
    {
        var engine = NewEngine();
        engine.OpenUsbDevice("ping", Device(), out var lease);
        var result = engine.Replace(AccessPolicy.Parse("guests:\n  ping:\n    usb:\n      - vendor: 0x1209\n        product: 0x0002\n"));
        Assert.Equal(1, result.LeasesRevoked);
        Assert.True(lease!.IsRevoked);
        Assert.Equal(PolicyVerdict.Revoked, lease.Check());
        Assert.Contains(engine.RecentAudit(), r => r.Event == AuditEvent.Revoked && r.Resource == "1209:0001/S1");
    }

    [Fact]
    public void A_replacement_that_stops_granting_a_claimed_interface_revokes_the_lease()
    {
        var engine = NewEngine();
        engine.OpenUsbDevice("disk", Device(product: 2, serial: "120900020001"), out var lease);
        lease!.CheckInterface(0);
        engine.Replace(AccessPolicy.Parse("guests:\n  disk:\n    usb:\n      - { vendor: 0x1209, interfaces: [1] }\n"));
        Assert.True(lease.IsRevoked);
        Assert.Equal(PolicyVerdict.InterfaceNotGranted, lease.RevokedBecause);
    }

    [Fact]
    public void A_replacement_that_removes_only_unclaimed_interfaces_keeps_the_lease_and_denies_them()
    {
        var engine = NewEngine();
        engine.OpenUsbDevice("disk", Device(product: 2, serial: "120900020001"), out var lease);
        lease!.CheckInterface(0);
        lease.CheckInterface(1);
        lease.ReleaseInterface(1);
        engine.Replace(AccessPolicy.Parse("guests:\n  disk:\n    usb:\n      - { vendor: 0x1209, interfaces: [0] }\n"));
        Assert.False(lease.IsRevoked);
        Assert.Equal(PolicyVerdict.Granted, lease.Check());
        Assert.Equal(PolicyVerdict.InterfaceNotGranted, lease.CheckInterface(1));
    }

    [Fact]
    public void A_denial_the_host_decides_is_counted_and_audited_with_its_reason()
    {
        var engine = NewEngine();
        Assert.Equal(PolicyVerdict.InUse, engine.DenyUsb("ping", "1209:0001/S1", "open", PolicyVerdict.InUse));
        Assert.Equal("in-use", Assert.Single(engine.RecentAudit()).Reason);
    }
}
