namespace IronWasm.Wasi;

/// <summary>What a guest is given, and nothing more: its arguments, environment, standard streams and
/// preopened directories. Nothing is inherited from the host unless asked for. Each method changes this
/// configuration and returns it, for chaining; a <see cref="WasiContext"/> takes a snapshot.</summary>
public sealed class WasiConfiguration
{
    internal enum StdioKind { Default, Inherited, Stream }

    internal readonly record struct Stdio(StdioKind Kind, Stream? Stream);

    internal readonly record struct Preopen(string HostPath, string GuestPath, DirectoryRights Rights);

    internal List<string> Args { get; } = [];
    internal List<KeyValuePair<string, string>> Environment { get; } = [];
    internal Stdio StandardInput { get; private set; }
    internal Stdio StandardOutput { get; private set; }
    internal Stdio StandardError { get; private set; }
    internal List<Preopen> Preopens { get; } = [];

    /// <summary>Sets the guest's argv, including argv[0] (the program name).</summary>
    public WasiConfiguration WithArgs(params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        foreach (var arg in args) CheckNoNul(arg, nameof(args));
        Args.Clear();
        Args.AddRange(args);
        return this;
    }

    /// <summary>Adds (or replaces) one environment variable.</summary>
    public WasiConfiguration WithEnvironmentVariable(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key.Length == 0 || key.Contains('=')) throw new ArgumentException("an environment variable name must be non-empty and contain no '='", nameof(key));
        CheckNoNul(key, nameof(key));
        CheckNoNul(value, nameof(value));
        Environment.RemoveAll(pair => pair.Key == key);
        Environment.Add(new(key, value));
        return this;
    }

    /// <summary>The guest reads the host process's standard input.</summary>
    public WasiConfiguration WithInheritedStandardInput() { StandardInput = new(StdioKind.Inherited, null); return this; }

    /// <summary>The guest reads <paramref name="input"/> (not disposed by WASI).</summary>
    public WasiConfiguration WithStandardInput(Stream input) { StandardInput = new(StdioKind.Stream, Readable(input)); return this; }

    /// <summary>The guest writes to the host process's standard output.</summary>
    public WasiConfiguration WithInheritedStandardOutput() { StandardOutput = new(StdioKind.Inherited, null); return this; }

    /// <summary>The guest writes to <paramref name="output"/> (not disposed by WASI).</summary>
    public WasiConfiguration WithStandardOutput(Stream output) { StandardOutput = new(StdioKind.Stream, Writable(output)); return this; }

    /// <summary>The guest writes to the host process's standard error.</summary>
    public WasiConfiguration WithInheritedStandardError() { StandardError = new(StdioKind.Inherited, null); return this; }

    /// <summary>The guest writes its standard error to <paramref name="output"/> (not disposed by WASI).</summary>
    public WasiConfiguration WithStandardError(Stream output) { StandardError = new(StdioKind.Stream, Writable(output)); return this; }

    /// <summary>Gives the guest the host directory <paramref name="hostPath"/> under the name
    /// <paramref name="guestPath"/>. The guest can reach nothing outside it: not through <c>..</c>,
    /// absolute paths or symbolic links. Preopens get descriptors 3, 4, ... in the order given.</summary>
    public WasiConfiguration WithPreopenedDirectory(string hostPath, string guestPath, DirectoryRights rights = DirectoryRights.ReadWrite)
    {
        ArgumentNullException.ThrowIfNull(hostPath);
        ArgumentNullException.ThrowIfNull(guestPath);
        if ((rights & DirectoryRights.Read) == 0) throw new ArgumentException("a preopened directory needs at least DirectoryRights.Read", nameof(rights));
        if ((rights & ~DirectoryRights.ReadWrite) != 0) throw new ArgumentOutOfRangeException(nameof(rights));
        CheckNoNul(hostPath, nameof(hostPath));
        CheckNoNul(guestPath, nameof(guestPath));
        Preopens.Add(new(hostPath, guestPath, rights));
        return this;
    }

    private static Stream Readable(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead) throw new ArgumentException("the standard input stream must be readable", nameof(stream));
        return stream;
    }

    private static Stream Writable(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("the output stream must be writable", nameof(stream));
        return stream;
    }

    private static void CheckNoNul(string value, string parameter)
    {
        if (value.Contains('\0')) throw new ArgumentException("WASI strings cannot contain NUL characters", parameter);
    }
}
