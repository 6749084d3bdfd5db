namespace IronWasm.Hardware.Simulation.Imaging;

/// <summary>CRC-32 as PNG (and zlib's crc32, ISO 3309) defines it: reflected polynomial
/// 0xEDB88320, initial value and final XOR 0xFFFFFFFF.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>Continues a running CRC (start with <see cref="Begin"/>, finish with <see cref="End"/>).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public const uint Begin = 0xFFFFFFFF;

    public static uint End(uint crc) => crc ^ 0xFFFFFFFF;

    public static uint Compute(ReadOnlySpan<byte> data) => End(Update(Begin, data));
}
