namespace IronWasm.Cli;

/// <summary>The exit status of <c>ironwasm</c> when it is not the guest's own. A guest can exit with
/// any status, so these cannot be told apart from every guest's; they follow BSD sysexits (64-70),
/// which few programs use, and wasmtime's 134 for a trap (128 + SIGABRT, as if the guest aborted).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command line is wrong: unknown option, missing argument, bad option value.</summary>
    public const int Usage = 64;
    /// <summary>The module is malformed or invalid, or its imports cannot be satisfied.</summary>
    public const int BadModule = 65;
    /// <summary>The input file (or a --dir directory) cannot be read.</summary>
    public const int NoInput = 66;
    /// <summary>A tool ironwasm needs is not there or failed (crossgen2 for <c>compile --native</c>).</summary>
    public const int Unavailable = 69;
    /// <summary>ironwasm itself failed (a bug): the one-line message says what.</summary>
    public const int Internal = 70;
    /// <summary>An output file cannot be written (<c>ironwasm compile -o</c>).</summary>
    public const int CannotCreate = 73;
    /// <summary>Files cannot be read or deleted (<c>ironwasm cache clear</c>).</summary>
    public const int IoError = 74;
    /// <summary>The guest trapped (including running out of fuel or time).</summary>
    public const int Trap = 134;
}
