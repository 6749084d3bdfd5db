using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Usb.Guests;

/// <summary>guests/usb/lsusb.wasm on the simulated bus, as a WASI command with component:usb.</summary>
public sealed class LsusbTests
{
    private static string[] DeviceLines(GuestRun run) => run.Lines.Where(l => l.StartsWith("Bus ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void ListsExactlyTheDevicesThePolicyGrantsWithTheirStrings()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("lsusb");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
        [
            "Bus 001 Device 002: ID 1209:0001 class 00 (defined per interface) speed high (480 Mb/s) manufacturer \"IronWasm\" product \"Echo (ping) device\" serial \"ECHO0001\"",
            "Bus 001 Device 004: ID 1209:0003 class 00 (defined per interface) speed high (480 Mb/s) manufacturer \"IronWasm\" product \"Simulated Gamepad\" serial \"PAD0001\"",
        ], DeviceLines(run));
        Assert.Empty(run.Error);
    }

    [Fact]
    public void AnotherGuestSeesOnlyItsOwnDevice()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("lsusb", "disk-only");

        var line = Assert.Single(DeviceLines(run));
        Assert.StartsWith("Bus 001 Device 003: ID 1209:0002 class 00", line);
        Assert.Contains("product \"Simulated Mass Storage\" serial \"120900020001\"", line);
    }

    [Fact]
    public void VerbosePrintsEveryConfigurationInterfaceAndEndpoint()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("lsusb", "app", "-v", "-d", "1209:0001");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Single(DeviceLines(run));
        string text = run.Output;
        Assert.Contains("  bcdUSB               2.00\n", text);
        Assert.Contains("  configuration 1 (active): 3 interface descriptors, attributes 0x80 (bus-powered), max power 100 mA, total length 78\n", text);
        Assert.Contains("    interface 0 alt 0: class ff/00/00 (vendor-specific), 4 endpoints\n", text);
        Assert.Contains("      endpoint 0x01 OUT bulk        max packet 512, interval 0\n", text);
        Assert.Contains("      endpoint 0x82 IN  interrupt   max packet 64, interval 4\n", text);
        Assert.Contains("    interface 1 alt 0: class ff/00/00 (vendor-specific), 0 endpoints\n", text);
        Assert.Contains("    interface 1 alt 1: class ff/00/00 (vendor-specific), 2 endpoints\n", text);
        Assert.Contains("      endpoint 0x83 IN  isochronous max packet 1024, interval 4\n", text);
    }

    [Fact]
    public void AGuestThePolicyGrantsNoUsbSeesNothingAndSaysSo()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("lsusb", "stranger");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(DeviceLines(run));
        Assert.Contains("no USB devices visible to this guest (the policy grants none, or none is connected)", run.Output);
    }

    [Fact]
    public void ADeviceOpenElsewhereIsListedWithoutItsStrings()
    {
        using var rig = new UsbGuestRig();
        Assert.Equal(UsbError.Success, rig.EchoUsb.Open(out var elsewhere));
        using (elsewhere)
        {
            var run = rig.Run("lsusb");

            Assert.Equal(0, run.ExitCode);
            Assert.Contains(DeviceLines(run), l => l.StartsWith("Bus 001 Device 002: ID 1209:0001", StringComparison.Ordinal)
                && l.EndsWith("(strings unavailable: access denied by policy (or the device is open elsewhere))", StringComparison.Ordinal));
            Assert.Contains(rig.Denials(), d => d.Guest == "app" && d.Reason == "in-use");
        }
    }

    [Fact]
    public async Task WatchPrintsTheArrivalsAndDeparturesOfVisibleDevicesOnly()
    {
        using var rig = new UsbGuestRig();
        var (running, output) = rig.Start("lsusb", "app", "-w", "3s");
        output.WaitFor("watching for 3000 ms\n");

        using var disk = MassStorageDevice.FromMemory(new byte[64 * 512]);
        rig.Usb.Plug(disk);   // hidden from `app`: no event
        rig.Usb.Plug(new EchoDevice("echo2", "ECHO0002"));
        output.WaitFor("arrived: Bus 001 Device 006: ID 1209:0001\n");
        rig.Usb.Unplug(rig.Pad);
        output.WaitFor("left: Bus 001 Device 004: ID 1209:0003\n");
        var run = await running.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["arrived: Bus 001 Device 006: ID 1209:0001", "left: Bus 001 Device 004: ID 1209:0003"],
            run.Lines.Where(l => l.StartsWith("arrived", StringComparison.Ordinal) || l.StartsWith("left", StringComparison.Ordinal)));
    }

    [Fact]
    public void AFilterMatchingNoVisibleDeviceFails()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("lsusb", "app", "-d", "1209:0002");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("lsusb: no visible USB device 1209:0002\n", run.Error);
    }

    [Fact]
    public void BadUsageExitsWithTwo()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("lsusb", "app", "--frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("usage: lsusb [-v] [-d VID:PID] [-w TIME]", run.Error);
    }

    [Fact]
    public void AHostWithoutUsbGivesAClearErrorInsteadOfATrap()
    {
        using var inventory = new HardwareInventory();
        var policy = new PolicyEngine(AccessPolicy.Parse(UsbGuestRig.DefaultPolicy, "usb.policy.yaml"));
        using var host = new HardwareHost(inventory, policy);

        var run = UsbGuestRig.Run(host, "lsusb", "app", []);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("lsusb: USB is not available: operation not supported (no USB backend?)\n", run.Error);
    }
}
