using System.Text.RegularExpressions;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Usb.Guests;

/// <summary>guests/usb/ping.wasm against the simulated echo device at zero latency.</summary>
public sealed partial class PingTests
{
    [GeneratedRegex(@"^result type=(control|bulk|interrupt|iso) size=(\d+) count=(\d+) median_ns=(\d+) min_ns=(\d+) max_ns=(\d+)$")]
    private static partial Regex ResultLine();

    private static List<(string Type, int Size, int Count, long Median, long Min, long Max)> Results(GuestRun run) =>
        run.Lines.Select(l => ResultLine().Match(l)).Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value), int.Parse(m.Groups[3].Value),
                long.Parse(m.Groups[4].Value), long.Parse(m.Groups[5].Value), long.Parse(m.Groups[6].Value)))
            .ToList();

    [Fact]
    public void ReportsEveryTransferTypeAndDefaultSizeInTheMachineReadableFormat()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("ping", "app", "--count", "20");

        Assert.True(run.ExitCode == 0, run.ToString());
        var results = Results(run);
        Assert.Equal(
            from type in new[] { "control", "bulk", "interrupt", "iso" } from size in new[] { 4, 16, 32 } select (type, size),
            results.Select(r => (r.Type, r.Size)));
        Assert.All(results, r =>
        {
            Assert.Equal(20, r.Count);
            Assert.True(r.Min > 0 && r.Min <= r.Median && r.Median <= r.Max, $"{r}");
        });
        Assert.Contains(run.Lines, l => l.StartsWith("bulk         32 bytes: 20 round trips, median ", StringComparison.Ordinal));
    }

    [Fact]
    public void RunsOnlyTheTypeAndSizesAsked()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("ping", "app", "--type", "bulk", "--size", "1,512,4096", "--count", "3");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal([("bulk", 1), ("bulk", 512), ("bulk", 4096)], Results(run).Select(r => (r.Type, r.Size)));
    }

    [Fact]
    public void BytesThatComeBackDifferentAreAnError()
    {
        using var rig = new UsbGuestRig();
        // Leave four bytes in the echo device's bulk buffer: the guest's first IN gets them, not its own.
        Assert.Equal(UsbError.Success, rig.EchoUsb.Open(out var handle));
        using (handle)
        {
            Assert.Equal(UsbError.Success, handle!.ClaimInterface(EchoDevice.DataInterface));
            Assert.Equal(UsbError.Success, handle.BulkTransfer(EchoDevice.BulkOut, new byte[] { 0xde, 0xad, 0xbe, 0xef }, 1000, out _));
        }

        var run = rig.Run("ping", "app", "--type", "bulk", "--size", "4", "--count", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("ping: bulk 4 bytes, round trip 1: byte 0 came back as 0xde, sent 0x04\n", run.Error);
        Assert.Empty(Results(run));
    }

    [Fact]
    public void AStalledEndpointEndsWithACleanErrorAndTheHaltIsCleared()
    {
        using var rig = new UsbGuestRig();
        using var fault = rig.Echo.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.Once, EchoDevice.BulkOut));

        var stalled = rig.Run("ping", "app", "--type", "bulk", "--count", "5");

        Assert.Equal(1, stalled.ExitCode);
        Assert.Equal("ping: bulk OUT 4 bytes (endpoint 0x01), round trip 1: pipe error (the endpoint stalled)\n", stalled.Error);
        Assert.Equal(1, fault.Fired);

        var again = rig.Run("ping", "app", "--type", "bulk", "--count", "5");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(3, Results(again).Count);
    }

    [Fact]
    public void AStalledControlRequestIsReportedAsSuch()
    {
        using var rig = new UsbGuestRig();
        using var fault = rig.Echo.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.Once, 0));

        var run = rig.Run("ping", "app", "--type", "control", "--count", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("ping: control OUT 4 bytes (vendor request 0x01), round trip 1: pipe error (the endpoint stalled)\n", run.Error);
    }

    [Fact]
    public void ATransferTheDeviceNeverAnswersTimesOut()
    {
        using var rig = new UsbGuestRig();
        using var fault = rig.Echo.InjectFault(new UsbFault(UsbFaultKind.Timeout, FaultTrigger.Once, EchoDevice.InterruptIn));

        var run = rig.Run("ping", "app", "--type", "interrupt", "--count", "5", "--timeout", "20");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("ping: interrupt IN 4 bytes (endpoint 0x82), round trip 1: operation timed out\n", run.Error);
    }

    [Fact]
    public void ADeviceUnpluggedMidTransferIsNoDevice()
    {
        using var rig = new UsbGuestRig();
        using var fault = rig.Echo.InjectFault(new UsbFault(UsbFaultKind.Disconnect, FaultTrigger.Once, EchoDevice.BulkOut));

        var run = rig.Run("ping", "app", "--type", "bulk", "--size", "2048", "--count", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("ping: bulk OUT 2048 bytes (endpoint 0x01), round trip 1: no such device (it may have been disconnected)\n", run.Error);
        Assert.DoesNotContain(rig.Usb.PluggedDevices, d => d == rig.Echo);
    }

    [Fact]
    public void AGuestNotGrantedTheEchoDeviceIsToldItIsNotVisible()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("ping", "disk-only");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("ping: no echo device visible (1209:0001): it is not connected, or the policy does not grant it to this guest\n", run.Error);
    }

    [Fact]
    public void AnInterfaceNotGrantedIsDeniedByPolicyWhileTheOthersStillRun()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("ping", "echo-bulk-only", "--count", "3");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("ping: iso: cannot claim interface 1: access denied by policy (or the device is open elsewhere)\n", run.Error);
        Assert.Equal(["control", "bulk", "interrupt"], Results(run).Select(r => r.Type).Distinct());
        Assert.Contains(rig.Denials(), d => d.Guest == "echo-bulk-only" && d.Reason == "interface-not-granted");
    }

    [Fact]
    public void ADeviceOpenElsewhereCannotBeOpened()
    {
        using var rig = new UsbGuestRig();
        Assert.Equal(UsbError.Success, rig.EchoUsb.Open(out var elsewhere));
        using (elsewhere)
        {
            var run = rig.Run("ping", "app", "--count", "3");

            Assert.Equal(1, run.ExitCode);
            Assert.Equal("ping: cannot open 1209:0001: access denied by policy (or the device is open elsewhere)\n", run.Error);
        }
    }

    [Theory]
    [InlineData("--type", "warp")]
    [InlineData("--size", "0")]
    [InlineData("--count", "many")]
    [InlineData("--device", "echo")]
    [InlineData("--count")]
    public void BadUsageExitsWithTwo(params string[] args)
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("ping", "app", args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("ping: ", run.Error);
    }

    [Fact]
    public void InterfaceLimitsTheEndpointSearchToOneInterface()
    {
        using var rig = new UsbGuestRig();

        var all = rig.Run("ping", "app", "--interface", "0", "--count", "2");
        var bulk = rig.Run("ping", "app", "--interface", "1", "--type", "bulk", "--count", "2");

        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal(["control", "bulk", "interrupt"], Results(all).Select(r => r.Type).Distinct());
        Assert.Contains("iso: skipped (the device has no iso OUT and IN endpoints on that interface)\n", all.Output);
        Assert.Equal(1, bulk.ExitCode);
        Assert.Equal("ping: bulk: the device has no bulk OUT and IN endpoints on that interface\n", bulk.Error);
    }

    [Fact]
    public void AnIsochronousPayloadLargerThanOnePacketIsRefused()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("ping", "app", "--type", "iso", "--size", "2000", "--count", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("ping: iso: 2000 bytes is more than one packet of endpoint 0x83 (1024 bytes)\n", run.Error);
    }
}
