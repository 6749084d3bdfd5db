using System.Buffers.Binary;
using System.IO.Compression;

namespace IronWasm.Hardware.Simulation.Imaging;

/// <summary>Writes 8-bit grayscale PNG images (PNG specification, ISO/IEC 15948): the signature,
/// IHDR, one IDAT holding the zlib stream of filter-type-0 scanlines, IEND; each chunk with its
/// CRC-32 over type and data.</summary>
internal static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes <paramref name="gray"/> (row-major, <paramref name="width"/> bytes per row).</summary>
    public static void WriteGrayscale(Stream output, int width, int height, ReadOnlySpan<byte> gray)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "an image has at least one pixel");
        if (gray.Length != width * height) throw new ArgumentException("one byte per pixel", nameof(gray));

        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)height);
        header[8] = 8;  // bit depth
        header[9] = 0;  // colour type: grayscale
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method 0
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter type None
                zlib.Write(gray.Slice(y * width, width));
            }
        }
        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, []);
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        uint crc = Crc32.End(Crc32.Update(Crc32.Update(Crc32.Begin, type), data));
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
