namespace IronWasm.Tests.Binary;

/// <summary>Helpers to assemble binary modules by hand in tests.</summary>
internal static class Bytes
{
    public static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    /// <summary>The module header followed by the given pieces.</summary>
    public static byte[] Module(params byte[][] pieces) => Concat([Header, .. pieces]);

    /// <summary>A section: id, LEB128 size, content.</summary>
    public static byte[] Section(byte id, params byte[] content) => Concat([[id], U32((uint)content.Length), content]);

    /// <summary>A vector: LEB128 count, then the items.</summary>
    public static byte[] Vec(params byte[][] items) => Concat([U32((uint)items.Length), .. items]);

    public static byte[] Name(string text)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        return Concat([U32((uint)utf8.Length), utf8]);
    }

    public static byte[] U32(uint value)
    {
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            bytes.Add(b);
        } while (value != 0);
        return bytes.ToArray();
    }

    /// <summary>A function body: size, the given locals vector and code.</summary>
    public static byte[] Body(byte[] locals, params byte[] code)
    {
        var content = Concat([locals, code]);
        return Concat([U32((uint)content.Length), content]);
    }

    public static byte[] Concat(params byte[][] pieces)
    {
        var result = new List<byte>();
        foreach (var piece in pieces) result.AddRange(piece);
        return result.ToArray();
    }

    // The smallest module with one function of type [] -> [] whose body is `code`.
    public static byte[] OneFunction(params byte[] code) => Module(
        Section(1, Vec([0x60, 0x00, 0x00])),
        Section(3, Vec([0x00])),
        Section(10, Vec(Body([0x00], code))));
}
