namespace IronWasm.Cli;

/// <summary>Where the CLI and its guest read and write. The real command inherits the process's
/// standard streams (so a guest sees a terminal as a terminal); tests pass streams instead.</summary>
internal sealed class CliConsole
{
    private CliConsole(Stream? input, Stream? output, Stream? error)
    {
        Input = input;
        Output = output;
        Error = error;
    }

    // Made on first use: a run that prints nothing of its own (the usual `ironwasm run FILE`) never
    // sets up Console.Out and Console.Error, which costs milliseconds at start-up (encodings, writers).
    private TextWriter? _out;
    private TextWriter? _err;

    /// <summary>The process's own standard streams.</summary>
    public static CliConsole Inherited { get; } = new(null, null, null);

    /// <summary>Explicit streams: the guest's stdio is these, and so is the CLI's own text.</summary>
    public static CliConsole FromStreams(Stream input, Stream output, Stream error) => new(input, output, error);

    /// <summary>Null when the guest inherits the process's stream.</summary>
    public Stream? Input { get; }
    public Stream? Output { get; }
    public Stream? Error { get; }

    /// <summary>The CLI's own output (results of --invoke, inspect tables, help).</summary>
    public TextWriter Out => _out ?? Initialize(ref _out, Output, static () => Console.Out);

    /// <summary>The CLI's own diagnostics: the one-line errors and trap reports.</summary>
    public TextWriter Err => _err ?? Initialize(ref _err, Error, static () => Console.Error);

    private static TextWriter Initialize(ref TextWriter? field, Stream? stream, Func<TextWriter> inherited)
    {
        var writer = stream is null ? inherited() : new StreamWriter(stream, leaveOpen: true) { AutoFlush = true };
        return Interlocked.CompareExchange(ref field, writer, null) ?? writer;
    }

    /// <summary>Whether <see cref="Out"/> is a terminal, for colour and table width.</summary>
    public bool OutputIsTerminal => Output is null && !Console.IsOutputRedirected;
}
