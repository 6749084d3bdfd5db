namespace IronWasm.Cli.Tests.Cli;

/// <summary>A module file in a temporary directory, deleted on dispose.</summary>
internal sealed class TempModule : IDisposable
{
    private readonly string _directory;

    private TempModule(string fileName, byte[] contents)
    {
        _directory = Directory.CreateTempSubdirectory("ironwasm-cli-").FullName;
        Path = System.IO.Path.Combine(_directory, fileName);
        File.WriteAllBytes(Path, contents);
    }

    public string Path { get; }

    public static TempModule Text(string wat, string fileName = "module.wat") => new(fileName, System.Text.Encoding.UTF8.GetBytes(wat));

    public static TempModule Binary(byte[] bytes, string fileName = "module.wasm") => new(fileName, bytes);

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }
}
