namespace IronWasm.Components.Wit;

/// <summary>WIT text could not be parsed or resolved: a syntax error, an unknown name, a cycle,
/// a duplicate definition, an unknown package or version, or a misused feature gate.
/// Not a <see cref="WasmException"/>: WIT describes interfaces, not a WebAssembly module.</summary>
public sealed class WitException : Exception
{
    /// <summary>An error at a position: the message reads "file:line:column: reason".</summary>
    public WitException(string file, int line, int column, string reason)
        : base($"{file}:{line}:{column}: {reason}")
    {
        File = file;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>An error about a whole file or directory (no line): "path: reason".</summary>
    public WitException(string file, string reason) : base($"{file}: {reason}")
    {
        File = file;
        Reason = reason;
    }

    /// <summary>The file (or directory) the error is in.</summary>
    public string File { get; }

    /// <summary>1-based line, or 0 when the error concerns a whole file.</summary>
    public int Line { get; }

    /// <summary>1-based column (in UTF-16 code units), or 0 when the error concerns a whole file.</summary>
    public int Column { get; }

    /// <summary>The message without the position.</summary>
    public string Reason { get; }
}
