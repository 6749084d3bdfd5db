using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Usb.Msc;

/// <summary>msc against a misbehaving or unreachable device: stalls it recovers from (clearing
/// halts, Reset Recovery, retrying the command), write protection, policy denials and devices
/// it cannot find. Each ends in the right output or in a message and a non-zero exit, never a trap.</summary>
public class MscTransportTests
{
    [Theory]
    [InlineData(MassStorageDevice.BulkIn, 3)]   // data, CSW and sense reads stall now and then
    [InlineData(MassStorageDevice.BulkIn, 7)]
    [InlineData(MassStorageDevice.BulkOut, 4)]  // CBWs stall: Reset Recovery, then the command again
    public void CatRecoversFromStalledBulkPipesAndStillReadsTheFileExactly(byte endpoint, int every)
    {
        using var rig = new MscRig(MscImages.Fat32());
        using var fault = rig.Disk.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.EveryNth(every), endpoint));
        var run = rig.Run("cat", "/data/big.bin");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(MscImages.Big, run.Stdout);
        Assert.True(fault.Fired > 10, $"the fault fired {fault.Fired} times");
        Assert.False(rig.Disk.AwaitingResetRecovery);
    }

    [Theory]
    [InlineData(MassStorageDevice.BulkIn, 9)]   // data or CSW
    [InlineData(MassStorageDevice.BulkOut, 5)]  // CBWs: about twenty commands
    public void ATransferTheDeviceNeverAnswersTimesOutAndTheCommandIsRetriedAfterResetRecovery(byte endpoint, int every)
    {
        using var rig = new MscRig(MscImages.Fat16());
        using var fault = rig.Disk.InjectFault(new UsbFault(UsbFaultKind.Timeout, FaultTrigger.EveryNth(every), endpoint));
        var run = rig.Run("--timeout", "20", "cat", "/data/big.bin");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(MscImages.Big, run.Stdout);
        Assert.True(fault.Fired >= 2, $"the fault fired {fault.Fired} times");
    }

    [Fact]
    public void APipeThatStallsEveryTransferEndsWithAMessageNotATrap()
    {
        using var rig = new MscRig(MscImages.Fat16());
        using var fault = rig.Disk.InjectFault(new UsbFault(UsbFaultKind.Stall, FaultTrigger.Always, MassStorageDevice.BulkIn));
        var run = rig.Run("ls");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("msc: INQUIRY: reading the CSW failed (endpoint stalled)", run.Error);
    }

    [Fact]
    public void ADiskUnpluggedInTheMiddleOfAFileEndsWithNoDeviceNotATrap()
    {
        using var rig = new MscRig(MscImages.Fat32());
        // Mounting and finding the file take a few dozen bulk IN transfers; reading big.bin's 586
        // fragmented clusters takes two each.
        using var fault = rig.Disk.InjectFault(new UsbFault(UsbFaultKind.Disconnect, FaultTrigger.EveryNth(200), MassStorageDevice.BulkIn));
        var run = rig.Run("cat", "data/big.bin");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("msc: reading data/big.bin: READ(10): ", run.Error);
        Assert.Contains("(no device (disconnected))", run.Error);
        Assert.True(run.Stdout.Length < MscImages.Big.Length);
        Assert.Equal(MscImages.Big.AsSpan(0, run.Stdout.Length).ToArray(), run.Stdout);
    }

    [Fact]
    public void WritingToAReadOnlyDiskFailsWithTheDataProtectSense()
    {
        var image = MscImages.Fat16();
        var before = image.AsSpan(0, 1 << 20).ToArray();
        using var rig = new MscRig(image, readOnly: true);
        var run = rig.Run("bench", "--mode", "seq-write", "--size", "1", "--runs", "1", "--allow-write");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("WRITE(10) failed: CHECK CONDITION, sense key DATA PROTECT (0x7), ASC/ASCQ 27h/00h (write protected)", run.Error);
        Assert.Equal(before, image.AsSpan(0, 1 << 20).ToArray());
    }

    [Fact]
    public void AGuestThePolicyGivesNoDeviceIsToldNothingIsVisible()
    {
        using var rig = new MscRig(MscImages.Fat16());
        var run = rig.RunAs("stranger", "info");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("msc: no USB device is visible to this program (none is plugged in, or the policy grants none)\n", run.Error);
    }

    [Fact]
    public void AGuestThatSeesOnlyTheEchoDeviceIsToldNoneIsMassStorage()
    {
        using var rig = new MscRig(MscImages.Fat16(), withEcho: true);
        var run = rig.RunAs("echo-only", "info");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("msc: none of the 1 visible USB device is a mass-storage device (interface class 08, subclass 06 SCSI, protocol 50 bulk-only)\n", run.Error);
        var byId = rig.RunAs("echo-only", "--device", "1209:0001", "info");
        Assert.Equal(1, byId.ExitCode);
        Assert.StartsWith("msc: USB device 1209:0001 has no mass-storage interface", byId.Error);
    }

    [Fact]
    public void DeviceSelectsTheDiskByVendorAndProduct()
    {
        using var rig = new MscRig(MscImages.Fat16(), withEcho: true);
        Assert.Equal("hello from a FAT volume\n", rig.Run("--device", "1209:0002", "cat", "README.TXT").Output);
        var missing = rig.Run("--device", "dead:beef", "info");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("msc: no visible USB device is dead:beef (1 device visible)\n", missing.Error);
    }

    [Fact]
    public void AnInterfaceThePolicyDoesNotGrantIsAccessDenied()
    {
        using var rig = new MscRig(MscImages.Fat16(), policy: """
            version: 1
            guests:
              msc:
                usb:
                  - { vendor: 0x1209, product: 0x0002, interfaces: [1] }
            """);
        var run = rig.Run("info");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("msc: ", run.Error);
        Assert.Contains("interface 0 of ", run.Error);
        Assert.Contains("access denied", run.Error);
    }

    [Fact]
    public void ADiskOpenElsewhereIsAccessDenied()
    {
        using var rig = new MscRig(MscImages.Fat16());
        var devices = new List<IronWasm.Hardware.Usb.IUsbDevice>();
        rig.Usb.GetDevices(devices);
        var device = devices.Single(d => d.Descriptor.ProductId == MassStorageDevice.ProductId);
        Assert.Equal(IronWasm.Hardware.Usb.UsbError.Success, device.Open(out var handle));
        using (handle)
        {
            var run = rig.Run("info");
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith("msc: opening USB device 1209:0002 failed: access denied", run.Error);
        }
        Assert.Equal(0, rig.Run("info").ExitCode);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("cat")]
    [InlineData("ls", "--size", "3")]
    [InlineData("bench", "--mode", "sideways")]
    [InlineData("--device", "12:zz", "info")]
    public void UsageErrorsExitWithTwoAndTheUsage(params string[] args)
    {
        using var rig = new MscRig(MscImages.Fat16());
        var run = rig.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("usage: msc [--device VID:PID] [--timeout MS] COMMAND", run.Error);
    }
}
