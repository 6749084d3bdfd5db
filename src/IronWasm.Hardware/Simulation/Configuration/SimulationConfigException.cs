namespace IronWasm.Hardware.Simulation.Configuration;

/// <summary>A simulation file or inline specification that cannot be used. The message says
/// where: "file:line:column: ..." for YAML, "... in 'token' (at character N)" for the inline form.</summary>
public sealed class SimulationConfigException : Exception
{
    internal SimulationConfigException(string problem, SourceLocation where, Exception? inner = null)
        : base(where.Format(problem), inner)
    {
        Problem = problem;
        Source = where.Source;
        Line = where.Line;
        Column = where.Column;
        Token = where.Token;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>The file name, or "inline" / "yaml" for text given directly.</summary>
    public new string Source { get; }

    /// <summary>1-based line in the YAML text (0 for the inline form).</summary>
    public int Line { get; }

    /// <summary>1-based column in the YAML text (0 for the inline form).</summary>
    public int Column { get; }

    /// <summary>The offending token of the inline form (null for YAML).</summary>
    public string? Token { get; }
}

/// <summary>Where a configuration value came from.</summary>
internal readonly record struct SourceLocation(string Source, int Line, int Column, string? Token, int Offset)
{
    public static SourceLocation InYaml(string source, int line, int column) => new(source, line, column, null, 0);

    public static SourceLocation InInline(string token, int offset) => new("inline", 0, 0, token, offset);

    public string Format(string problem) => Token is not null
        ? $"{problem} in '{Token}' (at character {Offset + 1} of the inline simulation)"
        : Line > 0 ? $"{Source}:{Line}:{Column}: {problem}" : $"{Source}: {problem}";
}
