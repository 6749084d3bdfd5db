namespace IronWasm.Text;

/// <summary>The WebAssembly text format (WAT) to the binary format.</summary>
internal static class WatParser
{
    /// <summary>
    /// Parses a whole <c>(module $id? field*)</c>, or a bare list of module fields as the spec allows, and returns
    /// its binary encoding. Throws <see cref="WasmFormatException"/> for malformed text; the message names the
    /// line and column, and <see cref="WasmFormatException.Offset"/> is the character offset.
    /// </summary>
    public static byte[] ParseModule(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new WatReader(text);
        byte[] binary;
        if (reader.PeekField("module"))
        {
            reader.Next();
            reader.Next();
            if (reader.Peek().Kind == WatTokenKind.Identifier) reader.Next();
            binary = WatModuleParser.ParseFields(reader);
            reader.ExpectRightParen();
        }
        else
        {
            binary = WatModuleParser.ParseFields(reader);
        }
        reader.Expect(WatTokenKind.EndOfInput);
        return binary;
    }
}
