using IronWasm.Hardware.Usb.Simulation.FatImage;

namespace IronWasm.Hardware.Tests.Usb.Msc;

/// <summary>msc on damaged file systems: whatever the bytes say, it ends with output or with a message
/// and exit status 1, never a trap (a trap would fail the test with a TrapException).</summary>
public class MscCorruptionTests
{
    private static readonly Lazy<byte[]> Small = new(() =>
        MscImages.Populate(new FatImageBuilder(FatType.Fat16, 8, 1) { Label = "SMALL" }).Build());

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void RandomDamageToTheBootSectorFatAndDirectoriesEndsInOutputOrAMessage(int seed)
    {
        var image = Small.Value.AsSpan().ToArray();
        var random = new Random(seed);
        // Even seeds: the BPB (keeping the jump and the signature, so that it is still taken for
        // one); odd seeds: the FATs, the root directory and the first data clusters (directories).
        bool bpb = seed % 2 == 0;
        for (int i = 0; i < (bpb ? 20 : 3000); i++) image[bpb ? random.Next(11, 90) : random.Next(512, 320 * 1024)] = (byte)random.Next(256);
        RunEveryCommand(image);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void RandomDamageToAFragmentedFat32PartitionEndsInOutputOrAMessage(int seed)
    {
        var image = MscImages.Fat32();
        var random = new Random(seed);
        // Even seeds: the partition's BPB; odd seeds: FSInfo, both FATs and the first directory clusters after them.
        bool bpb = seed % 2 == 0;
        for (int i = 0; i < (bpb ? 20 : 3000); i++) image[bpb ? (1 << 20) + random.Next(11, 90) : random.Next((1 << 20) + 512, 2 << 20)] = (byte)random.Next(256);
        RunEveryCommand(image);
    }

    private static void RunEveryCommand(byte[] image)
    {
        using var rig = new MscRig(image);
        foreach (var args in new[] { new[] { "info" }, ["tree"], ["cat", "data/big.bin"], ["ls", "many"] })
        {
            var run = rig.Run(args);
            Assert.True(run.ExitCode is 0 or 1, run.ToString());
            if (run.ExitCode == 1) Assert.StartsWith("msc: ", run.Error);
        }
    }
}
