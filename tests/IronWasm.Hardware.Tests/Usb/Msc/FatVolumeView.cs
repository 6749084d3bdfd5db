using System.Buffers.Binary;

namespace IronWasm.Hardware.Tests.Usb.Msc;

/// <summary>Just enough of a FAT16 volume's layout to damage it on purpose.</summary>
internal sealed class FatVolumeView(byte[] image, long volumeOffset)
{
    private int U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan((int)(volumeOffset + at)));

    private int Reserved => U16(14);
    private int FatSectors => U16(22);
    private int RootStart => Reserved + 2 * FatSectors;
    private int DataStart => RootStart + U16(17) * 32 / 512;
    private int ClusterBytes => image[volumeOffset + 13] * 512;

    /// <summary>The first cluster of the 8.3 entry <paramref name="name11"/> in the root directory's subdirectory <paramref name="dir"/>.</summary>
    public uint FirstClusterOf(string dir, string name11) => BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan((int)EntryOffset(dir, name11) + 26));

    /// <summary>Makes the entry <paramref name="name11"/> of the root's subdirectory <paramref name="dir"/> start at <paramref name="cluster"/>.</summary>
    public void SetFirstCluster(string dir, string name11, ushort cluster) =>
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan((int)EntryOffset(dir, name11) + 26), cluster);

    /// <summary>The byte offset in the image of the root directory's 8.3 entry <paramref name="name11"/>.</summary>
    public int RootEntryOffset(string name11) => (int)Find(volumeOffset + RootStart * 512L, U16(17) * 32, name11.PadRight(11));

    public uint RootEntryCluster(string name11) => BinaryPrimitives.ReadUInt16LittleEndian(image.AsSpan((int)Find(volumeOffset + RootStart * 512L, U16(17) * 32, name11.PadRight(11)) + 26));

    private long EntryOffset(string dir, string name11)
    {
        uint dirCluster = RootEntryCluster(dir);
        return Find(volumeOffset + DataStart * 512L + (dirCluster - 2) * (long)ClusterBytes, ClusterBytes, name11);
    }

    private long Find(long at, int length, string name11)
    {
        for (long e = at; e < at + length; e += 32)
            if (System.Text.Encoding.ASCII.GetString(image, (int)e, 11) == name11) return e;
        throw new ArgumentException($"no {name11}");
    }

    public void SetFatEntry(uint cluster, ushort value)
    {
        for (int copy = 0; copy < 2; copy++)
            BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan((int)(volumeOffset + (Reserved + copy * FatSectors) * 512L + cluster * 2)), value);
    }
}
