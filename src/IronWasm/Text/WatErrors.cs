namespace IronWasm.Text;

/// <summary>Builds the exceptions for malformed text: the reason (worded as the spec's reference
/// interpreter words it, which the test suite matches) followed by the line and column.</summary>
internal static class WatErrors
{
    public static WasmFormatException At(ReadOnlySpan<char> text, int offset, string reason)
    {
        var (line, column) = LineAndColumn(text, offset);
        return new WasmFormatException($"{reason} at {line}:{column}", offset);
    }

    /// <summary>1-based line and column of a character offset.</summary>
    public static (int Line, int Column) LineAndColumn(ReadOnlySpan<char> text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var before = text.Slice(0, offset);
        int line = before.Count('\n') + 1;
        int lastNewLine = before.LastIndexOf('\n');
        return (line, offset - lastNewLine);
    }
}
