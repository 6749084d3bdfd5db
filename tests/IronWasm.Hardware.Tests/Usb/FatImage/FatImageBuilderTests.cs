using System.Diagnostics;
using IronWasm.Hardware.Tests.Usb.Msc;
using IronWasm.Hardware.Usb.Simulation.FatImage;

namespace IronWasm.Hardware.Tests.Usb.FatImage;

/// <summary>dosfstools' fsck.fat, mkfs.fat and mtools, when the machine has them
/// (<c>apt-get install dosfstools mtools</c>); facts about them are skipped, with the reason, otherwise.</summary>
internal static class DosTools
{
    public static string? Find(string name) =>
        new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/local/sbin", "/usr/local/bin" }
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <summary>Runs a tool; its exit code and everything it printed.</summary>
    public static (int Exit, string Output) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(Find(tool)!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["MTOOLS_SKIP_CHECK"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + stderr.Result);
    }
}

public sealed class DosToolsFactAttribute : FactAttribute
{
    public DosToolsFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => DosTools.Find(t) is null).ToArray();
        if (missing.Length > 0) Skip = $"{string.Join(", ", missing)} not installed (apt-get install dosfstools mtools)";
    }
}

/// <summary>The test images are valid FAT: fsck.fat finds nothing to fix. And msc reads what
/// mkfs.fat and mtools write, not only what our builder writes.</summary>
public class FatImageBuilderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("msc-fat-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, ReadOnlySpan<byte> bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    [DosToolsFact("fsck.fat")]
    public void FsckFatAcceptsTheFat16Image()
    {
        var (exit, output) = DosTools.Run("fsck.fat", "-n", "-v", Write("fat16.img", MscImages.Fat16()));
        Assert.True(exit == 0, output);
        Assert.Contains("2 FATs, 16 bit entries", output);
    }

    [DosToolsFact("fsck.fat")]
    public void FsckFatAcceptsTheFragmentedFat32PartitionOfTheMbrImage()
    {
        // fsck.fat reads a volume, not a partitioned disk: give it partition 1 (from 1 MiB).
        var (exit, output) = DosTools.Run("fsck.fat", "-n", "-v", Write("fat32.img", MscImages.Fat32().AsSpan(1 << 20)));
        Assert.True(exit == 0, output);
        Assert.Contains("2 FATs, 32 bit entries", output);
    }

    [Fact]
    public void TheBuilderRefusesAClusterCountThatIsNotTheTypeAskedFor()
    {
        var tooSmall = new FatImageBuilder(FatType.Fat32, 16, 1);
        Assert.Throws<ArgumentException>(() => tooSmall.Build());
    }

    [Theory]
    [InlineData(FatType.Fat16, 3, 1)]
    [InlineData(FatType.Fat16, 16, 1)]
    [InlineData(FatType.Fat16, 64, 2)]
    [InlineData(FatType.Fat32, 33, 1)]
    [InlineData(FatType.Fat32, 256, 1)]
    public void ForSizeChoosesTheSmallestClustersThatMakeTheTypeAskedFor(FatType type, int mib, int sectorsPerCluster)
    {
        var builder = FatImageBuilder.ForSize(type, mib * 1048576L);

        Assert.Equal(sectorsPerCluster, builder.SectorsPerCluster);
        using var rig = new MscRig(builder.Build());
        Assert.Contains(rig.Run("info").Lines, l => l.StartsWith($"filesystem:  FAT{(int)type}, bare volume", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(FatType.Fat16, 2, "2 MiB is too small for FAT16 (at least 3 MiB)")]
    [InlineData(FatType.Fat32, 32, "32 MiB is too small for FAT32 (at least 33 MiB)")]
    public void ForSizeRefusesADiskTooSmallForTheType(FatType type, int mib, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => FatImageBuilder.ForSize(type, mib * 1048576L));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("TWELVE CHARS")]
    [InlineData("lower")]
    [InlineData("A.B")]
    public void ALabelThatIsNotAVolumeLabelIsRefused(string label)
    {
        var e = Assert.Throws<ArgumentException>(() => FatImageBuilder.CheckLabel(label));
        Assert.StartsWith($"bad volume label '{label}'", e.Message);
    }

    [Fact]
    public void AHostDirectoryIsCopiedWithItsFoldersAndLongNames()
    {
        string source = Directory.CreateDirectory(Path.Combine(_directory, "stick")).FullName;
        File.WriteAllText(Path.Combine(source, "notes about the stick.txt"), "notes\n");
        Directory.CreateDirectory(Path.Combine(source, "photos", "2024"));
        File.WriteAllBytes(Path.Combine(source, "photos", "2024", "BIG.BIN"), MscImages.Big);
        Directory.CreateDirectory(Path.Combine(source, "empty"));

        var image = FatImageBuilder.ForSize(FatType.Fat16, 4 << 20, label: "STICK").AddHostDirectory(source).Build();

        using var rig = new MscRig(image);
        Assert.Equal("notes\n", rig.Run("cat", "notes about the stick.txt").Output);
        Assert.Equal(MscImages.Big, rig.Run("cat", "photos/2024/big.bin").Stdout);
        Assert.Contains(rig.Run("ls").Lines, l => l.StartsWith("d ", StringComparison.Ordinal) && l.EndsWith("  empty/", StringComparison.Ordinal));
        Assert.Contains("label:       STICK", rig.Run("info").Lines);
    }

    [Fact]
    public void FilesThatDoNotFitAreRefusedWhenTheImageIsBuilt()
    {
        var builder = FatImageBuilder.ForSize(FatType.Fat16, 3 << 20).File("huge.bin", new byte[4 << 20]);

        var e = Assert.Throws<ArgumentException>(() => builder.Build());
        Assert.StartsWith("the image is full: ", e.Message);
    }

    [Fact]
    public void AMissingHostDirectoryIsRefused()
    {
        var builder = FatImageBuilder.ForSize(FatType.Fat16, 3 << 20);
        Assert.Throws<DirectoryNotFoundException>(() => builder.AddHostDirectory(Path.Combine(_directory, "absent")));
    }

    [DosToolsFact("mkfs.fat")]
    public void AFat12VolumeIsRefusedByName()
    {
        string image = Path.Combine(_directory, "fat12.img");
        var made = DosTools.Run("mkfs.fat", "-C", "-F", "12", image, "4096");
        Assert.True(made.Exit == 0, made.Output);
        using var rig = new MscRig(File.ReadAllBytes(image));
        var run = rig.Run("ls");
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^msc: the volume is FAT12 \(\d+ clusters\); only FAT16 and FAT32 are read\n$", run.Error);
    }

    [DosToolsFact("mkfs.fat", "mcopy", "mmd")]
    public void MscReadsAVolumeMadeByMkfsFatAndMtools()
    {
        string image = Path.Combine(_directory, "mkfs.img");
        var made = DosTools.Run("mkfs.fat", "-C", "-F", "32", "-n", "MKFSVOL", "-i", "0badcafe", image, (40 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(made.Exit == 0, made.Output);
        Assert.Equal(0, DosTools.Run("mmd", "-i", image, "::/Some Folder", "::/Some Folder/inner").Exit);
        string big = Write("big.bin", MscImages.Big);
        var copied = DosTools.Run("mcopy", "-i", image, big, "::/Some Folder/inner/A rather long name.bin");
        Assert.True(copied.Exit == 0, copied.Output);

        using var rig = new MscRig(File.ReadAllBytes(image));
        var info = rig.Run("info");
        Assert.Contains(info.Lines, l => l.StartsWith("filesystem:  FAT32, bare volume", StringComparison.Ordinal));
        Assert.Contains("label:       MKFSVOL", info.Lines);
        Assert.Contains("serial:      0BAD-CAFE", info.Lines);
        // mtools stamps the time of copying, so only the size and the name are known.
        string listed = Assert.Single(rig.Run("ls", "some folder/INNER").Lines);
        Assert.StartsWith("-     300000  ", listed);
        Assert.EndsWith("  A rather long name.bin", listed);
        Assert.Equal(MscImages.Big, rig.Run("cat", "/Some Folder/inner/A rather long name.bin").Stdout);
    }
}
