namespace IronWasm.Fuzzing;

internal static class Bytes
{
    /// <summary>A copy of <paramref name="data"/> with <paramref name="removeLength"/> bytes at
    /// <paramref name="start"/> replaced by <paramref name="insert"/>.</summary>
    public static byte[] Replace(byte[] data, int start, int removeLength, ReadOnlySpan<byte> insert)
    {
        var result = new byte[data.Length - removeLength + insert.Length];
        data.AsSpan(0, start).CopyTo(result);
        insert.CopyTo(result.AsSpan(start));
        data.AsSpan(start + removeLength).CopyTo(result.AsSpan(start + insert.Length));
        return result;
    }
}
