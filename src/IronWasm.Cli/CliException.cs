namespace IronWasm.Cli;

/// <summary>A failure the user can fix, reported as one line on stderr and the given exit code.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
