namespace IronWasm.Hardware.Policy;

/// <summary>A policy file is not valid. The message reads "source:line:column: what is wrong".</summary>
public sealed class PolicyFormatException : FormatException
{
    public PolicyFormatException(string source, int line, int column, string problem)
        : base($"{source}:{line}:{column}: {problem}")
    {
        SourceName = source;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file path or name the policy was parsed from.</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the offending node.</summary>
    public int Line { get; }

    /// <summary>1-based column of the offending node.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Problem { get; }
}
