using System.Text;
using IronWasm.Caching;

namespace IronWasm.Tests.Caching;

/// <summary>The checksum of compiled modules is XXH64 exactly as its specification defines it, so a file
/// written by one build is read by any other (the values are the reference implementation's).</summary>
public sealed class XxHash64Tests
{
    [Theory]
    [InlineData("", 0UL, 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0UL, 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0UL, 0x44BC2CF5AD770999UL)]
    [InlineData("xxhash", 0UL, 0x32DD38952C4BC720UL)]
    [InlineData("xxhash", 20141025UL, 0xB559B98D844E0635UL)]
    [InlineData("Nobody inspects the spammish repetition", 0UL, 0xFBCEA83C8A378BF1UL)]
    public void HashesMatchTheReferenceImplementation(string text, ulong seed, ulong expected) =>
        Assert.Equal(expected, XxHash64.Hash(Encoding.ASCII.GetBytes(text), seed));

    /// <summary>Many 32-byte stripes and every tail: the values are the specification's algorithm run
    /// independently (a direct transcription in Python), whose low 32 bits equal the checksum zstd
    /// writes for the same bytes.</summary>
    [Theory]
    [InlineData(1000, 0UL, 0x6BE03ACBF959C413UL)]
    [InlineData(1000, 20141025UL, 0x783BF86DA7D128D2UL)]
    [InlineData(4099, 0UL, 0x322144DF5662EADBUL)]
    [InlineData(4099, 20141025UL, 0xCDFFF6E779D3FFBBUL)]
    public void LongInputsMatchTheReferenceImplementation(int length, ulong seed, ulong expected)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)(i * 7 + 1);
        Assert.Equal(expected, XxHash64.Hash(data, seed));
    }

    [Fact]
    public void TheHashDoesNotDependOnAlignment()
    {
        var data = new byte[1100];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 13 + 5);
        for (int offset = 0; offset < 16; offset++)
        {
            var span = data.AsSpan(offset, 1000 + offset % 5);
            Assert.Equal(XxHash64.Hash(span.ToArray(), 7), XxHash64.Hash(span, 7));
        }
    }

    [Fact]
    public void EveryLengthAroundTheStripeSizeHashesDifferently()
    {
        // Lengths 0 to 100 cross the 32-byte stripes and the 8-, 4- and 1-byte tails.
        var data = new byte[100];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 7 + 1);
        var seen = new HashSet<ulong>();
        for (int length = 0; length <= data.Length; length++) Assert.True(seen.Add(XxHash64.Hash(data.AsSpan(0, length))), $"length {length}");
    }

    [Fact]
    public void OneBitChangesTheHash()
    {
        var data = new byte[257];
        ulong original = XxHash64.Hash(data);
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = 0x10;
            Assert.NotEqual(original, XxHash64.Hash(data));
            data[i] = 0;
        }
    }
}
