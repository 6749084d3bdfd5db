using IronWasm.Hardware.Usb.Simulation.FatImage;

namespace IronWasm.Hardware.Tests.Usb.Msc;

/// <summary>The disk images the msc tests read: one tree of files, on FAT16 and on FAT32.</summary>
internal static class MscImages
{
    public static readonly byte[] Readme = "hello from a FAT volume\n"u8.ToArray();
    public static readonly byte[] Chapter = "# Chapter one\n\nIt was a dark and stormy night.\n"u8.ToArray();
    public const string UnicodeName = "Ünïcödé ✓ file.txt";

    /// <summary>300 000 pseudo-random bytes: 147 clusters of 2 KiB on FAT16, 586 of 512 bytes on FAT32.</summary>
    public static readonly byte[] Big = Pattern(300_000, seed: 7);

    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The tree, on a builder of the given kind.</summary>
    public static FatImageBuilder Populate(FatImageBuilder builder)
    {
        builder
            .File("README.TXT", Readme)
            .File("Long File Name With Spaces.txt", "spaces\n"u8.ToArray())
            .File(UnicodeName, "unicode\n"u8.ToArray())
            .File("docs/guide/chapter-01.md", Chapter)
            .File("docs/guide/deeper/still/deepest.txt", "bottom\n"u8.ToArray())
            .File("data/big.bin", Big)
            .File("data/empty.txt", [])
            .Directory("empty-dir");
        // Enough long-named entries that the directory spans several clusters.
        for (int i = 1; i <= 40; i++) builder.File($"many/file-number-{i:D2}.txt", Pattern(i * 100, seed: i));
        return builder;
    }

    /// <summary>32 MiB, bare FAT16 volume, 2 KiB clusters, labelled IRONWASM16.</summary>
    public static byte[] Fat16() => Fat16Image.Value.AsSpan().ToArray();

    /// <summary>48 MiB disk, FAT32 in MBR partition 1, 512-byte clusters, every chain fragmented, labelled IRONWASM32.</summary>
    public static byte[] Fat32() => Fat32Image.Value.AsSpan().ToArray();

    private static readonly Lazy<byte[]> Fat16Image = new(() =>
        Populate(new FatImageBuilder(FatType.Fat16, 32, 4) { Label = "IRONWASM16" }).Build());

    private static readonly Lazy<byte[]> Fat32Image = new(() =>
        Populate(new FatImageBuilder(FatType.Fat32, 48, 1) { Label = "IRONWASM32", Partitioned = true, Fragmented = true }).Build());

    public static byte[] Build(FatType type) => type == FatType.Fat16 ? Fat16() : Fat32();
}
