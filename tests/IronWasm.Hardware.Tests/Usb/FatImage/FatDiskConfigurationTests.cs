using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Configuration;
using IronWasm.Hardware.Tests.Usb.Guests;
using IronWasm.Hardware.Tests.Usb.Msc;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Usb.FatImage;

/// <summary>A simulation file's mass-storage device as a formatted USB stick holding a folder's files.</summary>
public sealed class FatDiskConfigurationTests : IDisposable
{
    private const string Policy = """
        version: 1
        guests:
          app:
            usb:
              - class: mass-storage
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("fat-disk-config-").FullName;

    public FatDiskConfigurationTests()
    {
        string stick = Directory.CreateDirectory(Path.Combine(_directory, "stick", "docs")).FullName;
        File.WriteAllText(Path.Combine(_directory, "stick", "README.TXT"), "on the stick\n");
        File.WriteAllText(Path.Combine(stick, "A long name.md"), "# deep\n");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Runs guests/usb/msc on the simulation's USB bus as guest `app`, once per command
    /// (the inventory owns the bus, so all on one host).</summary>
    private static GuestRun[] Msc(SimulatedHardware hardware, params string[][] commands)
    {
        using var inventory = HardwareInventory.FromSimulation(hardware);
        using var host = new HardwareHost(inventory, new PolicyEngine(AccessPolicy.Parse(Policy, "fat.policy.yaml")));
        return commands.Select(args => UsbGuestRig.Run(host, "msc", "app", args)).ToArray();
    }

    private SimulationConfigException YamlError(string devices) =>
        Assert.Throws<SimulationConfigException>(() => SimulatedHardware.FromYaml("usb:\n  timing: zero-latency\n  devices:\n" + devices, _directory, source: "test.yaml"));

    [Fact]
    public void AFat16DiskHoldsTheFilesOfTheFolderRelativeToTheSimulationFile()
    {
        using var hardware = SimulatedHardware.FromYaml("""
            usb:
              timing: zero-latency
              devices:
                - type: mass-storage
                  size: 16MiB
                  format: fat16
                  files: stick
                  label: my stick
            """, _directory);

        var disk = Assert.IsType<MassStorageDevice>(Assert.Single(hardware.Usb!.PluggedDevices));
        Assert.Equal(16L << 20, disk.BlockCount * disk.BlockSize);
        var runs = Msc(hardware, ["info"], ["cat", "readme.txt"], ["cat", "docs/A long name.md"]);
        Assert.Contains("filesystem:  FAT16, bare volume", runs[0].Output);
        Assert.Contains("label:       MY STICK", runs[0].Lines);
        Assert.Equal("on the stick\n", runs[1].Output);
        Assert.Equal("# deep\n", runs[2].Output);
    }

    [Fact]
    public void TheInlineFormMakesAnEmptyFat32Disk()
    {
        using var hardware = SimulatedHardware.FromInline("usb:timing=zero-latency,mass-storage(size=40MiB,format=fat32)");

        var runs = Msc(hardware, ["info"], ["ls"]);
        Assert.Equal(0, runs[0].ExitCode);
        Assert.Contains("filesystem:  FAT32, bare volume", runs[0].Output);
        Assert.Equal(0, runs[1].ExitCode);
        Assert.Empty(runs[1].Lines);
    }

    [Fact]
    public void TheInlineFormTakesAFolderToo()
    {
        using var hardware = SimulatedHardware.FromInline($"usb:timing=zero-latency,mass-storage(size=4MiB,format=fat16,files={Path.Combine(_directory, "stick")},label=INLINE)");

        Assert.Equal("on the stick\n", Msc(hardware, ["cat", "README.TXT"])[0].Output);
    }

    [Fact]
    public void AnUnknownFormatIsAnErrorNamingTheKnownOnes()
    {
        var e = YamlError("    - type: mass-storage\n      size: 16MiB\n      format: ntfs\n");
        Assert.Contains("unknown disk format 'ntfs' (known: fat16, fat32)", e.Message);
        Assert.Contains("test.yaml:6", e.Message);
    }

    [Fact]
    public void AMissingFolderIsAnError()
    {
        var e = YamlError("    - type: mass-storage\n      size: 16MiB\n      format: fat16\n      files: nowhere\n");
        Assert.Contains($"no folder {Path.Combine(_directory, "nowhere")}", e.Message);
    }

    [Fact]
    public void FilesThatDoNotFitTheSizeAreAnError()
    {
        // Less than 4 MiB of files, but with the FATs and the root directory they need more.
        File.WriteAllBytes(Path.Combine(_directory, "stick", "big.bin"), new byte[(4 << 20) - 20_000]);

        var e = YamlError("    - type: mass-storage\n      size: 4MiB\n      format: fat16\n      files: stick\n");
        Assert.Contains($"the files of {Path.Combine(_directory, "stick")} do not fit on a 4MiB FAT16 disk: the image is full", e.Message);
    }

    [Fact]
    public void FilesLargerThanTheDiskAreRefusedBeforeTheyAreRead()
    {
        File.WriteAllBytes(Path.Combine(_directory, "stick", "huge.bin"), new byte[5 << 20]);

        var e = YamlError("    - type: mass-storage\n      size: 4MiB\n      format: fat16\n      files: stick\n");
        Assert.Contains($"the files of {Path.Combine(_directory, "stick")} take more than the 4 MiB of the disk", e.Message);
    }

    [Fact]
    public void ADiskTooSmallForTheFormatIsAnError()
    {
        var e = YamlError("    - type: mass-storage\n      size: 16MiB\n      format: fat32\n");
        Assert.Contains("16 MiB is too small for FAT32 (at least 33 MiB)", e.Message);
    }

    [Theory]
    [InlineData("      size: 1MiB\n      files: stick\n", "'files' needs 'format: fat16 or fat32'")]
    [InlineData("      size: 1MiB\n      label: X\n", "'label' needs 'format: fat16 or fat32'")]
    [InlineData("      image: disk.img\n      format: fat16\n", "'format' makes a new disk of 'size' bytes; an 'image' is used as it is")]
    [InlineData("      size: 4MiB\n      format: fat16\n      label: way too long a label\n", "bad volume label 'WAY TOO LONG A LABEL'")]
    public void FormatFilesAndLabelGoTogetherWithSize(string keys, string message)
    {
        Assert.Contains(message, YamlError("    - type: mass-storage\n" + keys).Message);
    }
}
