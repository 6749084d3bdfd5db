namespace IronWasm;

/// <summary>The base of every exception IronWasm raises for a module or a guest. Host code that
/// catches this type catches every failure a guest can cause.</summary>
public abstract class WasmException : Exception
{
    protected WasmException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The bytes are not a well-formed WebAssembly binary (or the text is not well-formed WAT).</summary>
public sealed class WasmFormatException : WasmException
{
    public WasmFormatException(string message, long offset, Exception? inner = null)
        : base(offset >= 0 ? $"{message} (at byte offset 0x{offset:X})" : message, inner)
    {
        Offset = offset;
        Reason = message;
    }

    /// <summary>Byte offset in the binary where the problem was found; for text input, the
    /// character offset; -1 when unknown.</summary>
    public long Offset { get; }

    /// <summary>The message without the offset.</summary>
    public string Reason { get; }
}

/// <summary>The module is well-formed but not valid (ill-typed code, bad index, ...).</summary>
public sealed class WasmValidationException : WasmException
{
    public WasmValidationException(string message, int? functionIndex = null, long offset = -1)
        : base(Describe(message, functionIndex, offset))
    {
        Reason = message;
        FunctionIndex = functionIndex;
        Offset = offset;
    }

    public string Reason { get; }

    /// <summary>Index (in the function index space) of the function whose body is invalid, if any.</summary>
    public int? FunctionIndex { get; }

    /// <summary>Byte offset in the module binary, or -1.</summary>
    public long Offset { get; }

    private static string Describe(string message, int? functionIndex, long offset)
    {
        var where = functionIndex is { } f ? $" in function {f}" : "";
        if (offset >= 0) where += $" at byte offset 0x{offset:X}";
        return message + where;
    }
}

/// <summary>A module's imports could not be satisfied (missing, or of the wrong type).</summary>
public sealed class WasmLinkException : WasmException
{
    public WasmLinkException(string message) : base(message) { }
}
