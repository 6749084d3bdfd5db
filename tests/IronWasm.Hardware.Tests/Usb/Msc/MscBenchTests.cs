using System.Text.RegularExpressions;

namespace IronWasm.Hardware.Tests.Usb.Msc;

/// <summary>msc bench: raw READ(10)/WRITE(10) throughput, one machine-readable line per mode.</summary>
public partial class MscBenchTests
{
    [GeneratedRegex(@"^result mode=(seq-read|seq-write|rand-read|rand-write) bytes=(\d+) runs=(\d+) median_mib_s=\d+\.\d\d min_mib_s=\d+\.\d\d max_mib_s=\d+\.\d\d$")]
    private static partial Regex ResultLine();

    [Fact]
    public void AllModesPrintOneResultLineEachInOrder()
    {
        using var rig = new MscRig(new byte[4 << 20]);
        var run = rig.Run("bench", "--mode", "all", "--size", "1", "--block", "16", "--runs", "3", "--allow-write");
        Assert.True(run.ExitCode == 0, run.ToString());
        var results = run.Lines.Where(l => l.StartsWith("result ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, results.Length);
        var modes = results.Select(l => ResultLine().Match(l)).Select(m => (m.Success, m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToArray();
        Assert.Equal(
        [
            (true, "seq-read", "1048576", "3"), (true, "seq-write", "1048576", "3"),
            (true, "rand-read", "1048576", "3"), (true, "rand-write", "1048576", "3"),
        ], modes);
        Assert.Contains(run.Lines, l => l.StartsWith("seq-read: 64 x 16 KiB READ(10), 3 runs: median ", StringComparison.Ordinal));
    }

    [Fact]
    public void MedianMinAndMaxAreOrdered()
    {
        using var rig = new MscRig(new byte[2 << 20]);
        var run = rig.Run("bench", "--mode", "seq-read", "--size", "1", "--runs", "5");
        var line = Assert.Single(run.Lines, l => l.StartsWith("result ", StringComparison.Ordinal));
        double Field(string name) => double.Parse(Regex.Match(line, name + @"=([\d.]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(Field("median_mib_s"), Field("min_mib_s"), Field("max_mib_s"));
        Assert.True(Field("min_mib_s") > 0);
    }

    [Fact]
    public void WithoutAllowWriteTheWriteModesRefuseAndTheDiskIsUntouched()
    {
        var image = MscImages.Fat16();
        var before = image.AsSpan(0, 2 << 20).ToArray();
        using var rig = new MscRig(image);
        var run = rig.Run("bench", "--mode", "rand-write", "--size", "2", "--runs", "1");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("msc: the write modes overwrite the disk's first 2 MiB (its file system is lost and nothing is restored); pass --allow-write to run them\n", run.Error);
        Assert.Equal(before, image.AsSpan(0, 2 << 20).ToArray());
    }

    [Fact]
    public void WithoutAModeOnlyTheReadModesRunUnlessWritesAreAllowed()
    {
        using var rig = new MscRig(new byte[2 << 20]);
        var run = rig.Run("bench", "--size", "1", "--runs", "1");
        Assert.Equal(["seq-read", "rand-read"], run.Lines.Where(l => l.StartsWith("result ", StringComparison.Ordinal)).Select(l => ResultLine().Match(l).Groups[1].Value));
    }

    [Fact]
    public void SequentialWriteOverwritesTheRegionAndSaysSo()
    {
        var image = MscImages.Fat16();
        using var rig = new MscRig(image);
        var run = rig.Run("bench", "--mode", "seq-write", "--size", "1", "--block", "64", "--runs", "1", "--allow-write");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("overwriting blocks 0 to 2047 of the disk (1 MiB); its previous contents are lost", run.Error);
        Assert.NotEqual(0x55, image[510]);  // the boot sector is gone
        Assert.Equal(image.AsSpan(0, 65536).ToArray(), image.AsSpan(65536, 65536).ToArray());  // every block got the same pattern
        Assert.Equal(1, rig.Run("ls").ExitCode);
    }

    [Fact]
    public void ASizeLargerThanTheDiskIsRefused()
    {
        using var rig = new MscRig(new byte[1 << 20]);
        var run = rig.Run("bench", "--mode", "seq-read", "--size", "2", "--runs", "1");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("msc: --size 2 MiB is larger than the disk (1048576 bytes)\n", run.Error);
    }
}
