using System.Buffers;

namespace IronWasm.Caching;

/// <summary>Reads a compiled-module file into a buffer from the shared pool. Loading copies what it
/// keeps, so the buffer can go back at once: reading each file into a new array put its bytes on the
/// large-object heap, whose fresh pages cost more than reading the file.</summary>
internal static class PooledFile
{
    /// <summary>The file's bytes: the first <paramref name="length"/> bytes of the returned buffer,
    /// which the caller gives back to <see cref="ArrayPool{T}.Shared"/>. A file that shrinks while it
    /// is read gives a short span (compiled-module checks reject it as truncated). IO errors are thrown.</summary>
    public static byte[] Read(string path, out int length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long size = RandomAccess.GetLength(handle);
        if (size > Array.MaxLength) throw new IOException($"{path} is {size} bytes long");
        var buffer = ArrayPool<byte>.Shared.Rent((int)size);
        length = 0;
        try
        {
            int read;
            while (length < size && (read = RandomAccess.Read(handle, buffer.AsSpan(length, (int)size - length), length)) > 0) length += read;
            return buffer;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
