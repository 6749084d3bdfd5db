using System.Buffers.Binary;
using IronWasm.Hardware.Usb.Simulation.FatImage;

namespace IronWasm.Hardware.Tests.Usb.Msc;

/// <summary>guests/usb/msc.wasm reading FAT16 and FAT32 disks on the simulated mass-storage device:
/// info, ls, cat and tree, end to end through component:usb, Bulk-Only Transport and SCSI.</summary>
public class MscFilesystemTests
{
    public static TheoryData<FatType> Types => [FatType.Fat16, FatType.Fat32];

    [Fact]
    public void InfoReportsTheInquiryStringsCapacityFilesystemAndLabelOfAFat16Volume()
    {
        using var rig = new MscRig(MscImages.Fat16());
        var run = rig.Run("info");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("usb strings: IronWasm / Simulated Mass Storage / serial 120900020001", run.Lines);
        Assert.Contains("vendor:      IronWasm", run.Lines);
        Assert.Contains("product:     Sim Mass Storage", run.Lines);
        Assert.Contains("revision:    1.00", run.Lines);
        Assert.Contains("capacity:    65536 blocks of 512 bytes, 33554432 bytes (32.0 MiB)", run.Lines);
        Assert.Contains(run.Lines, l => l.StartsWith("filesystem:  FAT16, bare volume, ", StringComparison.Ordinal));
        Assert.Contains("label:       IRONWASM16", run.Lines);
    }

    [Fact]
    public void InfoFindsAFat32VolumeInsideAnMbrPartition()
    {
        using var rig = new MscRig(MscImages.Fat32());
        var run = rig.Run("info");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.Lines, l => l.StartsWith("filesystem:  FAT32, MBR partition 1 at block 2048, ", StringComparison.Ordinal));
        Assert.Contains("label:       IRONWASM32", run.Lines);
    }

    [Fact]
    public void InfoSaysTheUsbStorageDriverWasDetachedBeforeClaimingTheInterface()
    {
        using var rig = new MscRig(MscImages.Fat16());
        var run = rig.Run("info");
        Assert.Contains("device:      1209:0002, bus 1 address 2, interface 0 (bulk IN 0x81, bulk OUT 0x02), kernel driver detached", run.Lines);
    }

    [Theory, MemberData(nameof(Types))]
    public void LsListsTheRootWithLongNamesSizesAndDirectories(FatType type)
    {
        using var rig = new MscRig(MscImages.Build(type));
        var run = rig.Run("ls");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
        [
            "-         24  2024-05-17 12:34  README.TXT",
            "-          7  2024-05-17 12:34  Long File Name With Spaces.txt",
            "-          8  2024-05-17 12:34  " + MscImages.UnicodeName,
            "d          0  2024-05-17 12:34  docs/",
            "d          0  2024-05-17 12:34  data/",
            "d          0  2024-05-17 12:34  empty-dir/",
            "d          0  2024-05-17 12:34  many/",
        ], run.Lines);
    }

    [Theory, MemberData(nameof(Types))]
    public void LsFollowsNestedPathsIgnoringCase(FatType type)
    {
        using var rig = new MscRig(MscImages.Build(type));
        var run = rig.Run("ls", "/DOCS/Guide/");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["-         47  2024-05-17 12:34  chapter-01.md", "d          0  2024-05-17 12:34  deeper/"], run.Lines);
    }

    [Theory, MemberData(nameof(Types))]
    public void LsOfADirectorySpanningSeveralClustersListsEveryEntry(FatType type)
    {
        using var rig = new MscRig(MscImages.Build(type));
        var run = rig.Run("ls", "many");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(40, run.Lines.Length);
        for (int i = 1; i <= 40; i++) Assert.EndsWith($"  file-number-{i:D2}.txt", run.Lines[i - 1]);
        Assert.StartsWith("-       4000  ", run.Lines[39]);
    }

    [Fact]
    public void LsOfAFileShowsThatFile()
    {
        using var rig = new MscRig(MscImages.Fat16());
        var run = rig.Run("ls", "/data/big.bin");
        Assert.Equal(["-     300000  2024-05-17 12:34  big.bin"], run.Lines);
    }

    [Theory, MemberData(nameof(Types))]
    public void CatWritesAMultiClusterFileByteForByte(FatType type)
    {
        using var rig = new MscRig(MscImages.Build(type));
        var run = rig.Run("cat", "/data/big.bin");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(MscImages.Big, run.Stdout);
    }

    [Theory, MemberData(nameof(Types))]
    public void CatFindsFilesByLongNameBy83AliasAndInDeepDirectories(FatType type)
    {
        using var rig = new MscRig(MscImages.Build(type));
        Assert.Equal("spaces\n", rig.Run("cat", "long file name with spaces.TXT").Output);
        Assert.Equal("spaces\n", rig.Run("cat", "LONGFI~1.TXT").Output);
        Assert.Equal("unicode\n", rig.Run("cat", MscImages.UnicodeName).Output);
        Assert.Equal("bottom\n", rig.Run("cat", "docs/guide/deeper/./still/../still/deepest.txt").Output);
        Assert.Equal(MscImages.Pattern(3700, seed: 37), rig.Run("cat", "many/file-number-37.txt").Stdout);
    }

    [Fact]
    public void CatOfAnEmptyFileWritesNothing()
    {
        using var rig = new MscRig(MscImages.Fat32());
        var run = rig.Run("cat", "data/empty.txt");
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stdout);
    }

    [Theory, MemberData(nameof(Types))]
    public void TreeDrawsEveryDirectoryAndCountsThem(FatType type)
    {
        using var rig = new MscRig(MscImages.Build(type));
        var run = rig.Run("tree", "docs");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("""
            docs
            `-- guide/
                |-- chapter-01.md
                `-- deeper/
                    `-- still/
                        `-- deepest.txt

            3 directories, 2 files

            """.ReplaceLineEndings("\n"), run.Output);
        Assert.Equal("7 directories, 47 files", rig.Run("tree").Lines[^1]);
    }

    [Fact]
    public void AMissingPathIsAnErrorNamingIt()
    {
        using var rig = new MscRig(MscImages.Fat16());
        var run = rig.Run("cat", "/docs/nope.txt");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("msc: /docs/nope.txt: no such file or directory\n", run.Error);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void CatOfADirectoryAndPathsThroughAFileAreErrors()
    {
        using var rig = new MscRig(MscImages.Fat16());
        var directory = rig.Run("cat", "docs");
        Assert.Equal(1, directory.ExitCode);
        Assert.Equal("msc: docs is a directory\n", directory.Error);
        var through = rig.Run("ls", "README.TXT/inside");
        Assert.Equal(1, through.ExitCode);
        Assert.Equal("msc: README.TXT/inside: /README.TXT is a file, not a directory\n", through.Error);
    }

    [Fact]
    public void ADiskWithoutAFileSystemIsNotFatForLsAndNoneForInfo()
    {
        var image = MscImages.Pattern(4 << 20, seed: 99);
        using var rig = new MscRig(image);
        var ls = rig.Run("ls");
        Assert.Equal(1, ls.ExitCode);
        Assert.Equal("msc: not a FAT disk: block 0 has neither a FAT boot sector nor an MBR (no 55 AA signature)\n", ls.Error);
        var info = rig.Run("info");
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("filesystem:  none (not a FAT disk: block 0 has neither a FAT boot sector nor an MBR (no 55 AA signature))", info.Lines);
    }

    [Fact]
    public void AnExFatVolumeIsNamedRatherThanMistakenForAnMbr()
    {
        var image = new byte[4 << 20];
        image[0] = 0xEB;
        image[1] = 0x76;
        image[2] = 0x90;
        "EXFAT   "u8.CopyTo(image.AsSpan(3));
        image[446 + 4] = 0x0C;  // boot code that happens to look like a FAT32 partition entry
        image[510] = 0x55;
        image[511] = 0xAA;
        using var rig = new MscRig(image);
        var run = rig.Run("ls");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("msc: not a FAT disk: the volume is exFAT (only FAT16 and FAT32 are read)\n", run.Error);
    }

    [Fact]
    public void AnMbrWithoutAFatPartitionNamesThePartitionTypesItHas()
    {
        var image = new byte[4 << 20];
        image[446 + 4] = 0x83;  // Linux
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(446 + 8), 2048);
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(446 + 12), 4096);
        image[510] = 0x55;
        image[511] = 0xAA;
        using var rig = new MscRig(image);
        var run = rig.Run("tree");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("msc: not a FAT disk: the MBR has no FAT partition (partition types 0x83)\n", run.Error);
    }

    [Fact]
    public void TreeStopsAtADirectoryThatContainsItsOwnAncestor()
    {
        var image = MscImages.Fat16();
        var view = new FatVolumeView(image, 0);
        // docs/guide now starts where docs does: drawing it would never end.
        view.SetFirstCluster("DOCS~1", "GUIDE~1    ", (ushort)view.RootEntryCluster("DOCS~1"));
        using var rig = new MscRig(image);
        var run = rig.Run("tree");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("msc: directory guide contains one of its own ancestors: the volume is corrupt\n", run.Error);
    }

    [Fact]
    public void ALongNameWhoseChecksumDoesNotMatchItsShortEntryIsIgnored()
    {
        var image = MscImages.Fat16();
        int entry = new FatVolumeView(image, 0).RootEntryOffset("LONGFI~1TXT");
        image[entry - 32 + 13] ^= 0xFF;  // the long name's last part, just before the 8.3 entry
        using var rig = new MscRig(image);
        var run = rig.Run("ls");
        Assert.Contains("-          7  2024-05-17 12:34  LONGFI~1.TXT", run.Lines);
        Assert.DoesNotContain(run.Lines, l => l.EndsWith("Long File Name With Spaces.txt", StringComparison.Ordinal));
    }

    [Fact]
    public void OnFat16TheHighWordOfAFirstClusterIsIgnored()
    {
        var image = MscImages.Fat16();
        int entry = new FatVolumeView(image, 0).RootEntryOffset("README  TXT");
        image[entry + 20] = 0x34;  // OS/2 kept extended-attribute handles there
        image[entry + 21] = 0x12;
        using var rig = new MscRig(image);
        Assert.Equal(MscImages.Readme, rig.Run("cat", "README.TXT").Stdout);
    }

    [Fact]
    public void DeletedEntriesAreNotListed()
    {
        var image = MscImages.Fat16();
        image[new FatVolumeView(image, 0).RootEntryOffset("README  TXT")] = 0xE5;
        using var rig = new MscRig(image);
        var run = rig.Run("ls");
        Assert.Equal(6, run.Lines.Length);
        Assert.DoesNotContain(run.Lines, l => l.EndsWith("README.TXT", StringComparison.Ordinal));
        Assert.Equal(1, rig.Run("cat", "README.TXT").ExitCode);
    }

    [Fact]
    public void ADirectoryWhoseClusterChainLoopsIsReportedCorrupt()
    {
        var image = MscImages.Fat16();
        var view = new FatVolumeView(image, 0);
        uint many = view.RootEntryCluster("MANY~1");
        view.SetFatEntry(many, (ushort)many);  // its first cluster, full of entries, leads to itself
        using var rig = new MscRig(image);
        var run = rig.Run("tree", "many");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("msc: directory many's cluster chain runs past 65536 entries: the FAT is corrupt\n", run.Error);
    }

    [Fact]
    public void AFileWhoseClusterChainEndsEarlyIsReportedCorrupt()
    {
        var image = MscImages.Fat16();
        // big.bin's chain: cut it after its first cluster, in both FATs.
        var builderView = new FatVolumeView(image, 0);
        uint first = builderView.FirstClusterOf("DATA~1", "BIG~1   BIN");
        builderView.SetFatEntry(first, 0xFFFF);
        using var rig = new MscRig(image);
        var run = rig.Run("cat", "data/big.bin");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("msc: reading data/big.bin: big.bin: the cluster chain ends after 2048 of 300000 bytes: the FAT is corrupt\n", run.Error);
    }
}
