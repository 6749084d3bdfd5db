namespace IronWasm.Cli.Tests;

/// <summary>A temporary directory holding <c>sandbox/</c> (what the guest is given) and <c>outside/</c>
/// beside it (what no guest may reach), with the symbolic links guests/tests/escape.c expects.
/// Deleted on dispose.</summary>
internal sealed class EscapeSandbox : IDisposable
{
    public const string SecretText = "secret\n";

    public EscapeSandbox()
    {
        Root = Directory.CreateTempSubdirectory("ironwasm-cli-").FullName;
        SandboxPath = Path.Combine(Root, "sandbox");
        OutsidePath = Path.Combine(Root, "outside");
        Directory.CreateDirectory(Path.Combine(SandboxPath, "sub"));
        Directory.CreateDirectory(OutsidePath);
        File.WriteAllText(Path.Combine(OutsidePath, "secret.txt"), SecretText);
        File.WriteAllText(Path.Combine(SandboxPath, "inside.txt"), "inside\n");

        Link("link-in", "inside.txt");
        Link("link-out", Path.Combine(OutsidePath, "secret.txt"));
        Link("link-rel-out", "../outside/secret.txt");
        Link("link-dir-out", "../outside");
        Link("chain-1", "sub/chain-2");
        Link("sub/chain-2", "../chain-3");
        Link("chain-3", "../outside/secret.txt");
        Link("loop-a", "loop-b");
        Link("loop-b", "loop-a");
    }

    public string Root { get; }
    public string SandboxPath { get; }
    public string OutsidePath { get; }

    private void Link(string name, string target) => File.CreateSymbolicLink(Path.Combine(SandboxPath, name), target);

    /// <summary>Every entry under <paramref name="directory"/>, relative and sorted, links shown with their
    /// targets: compared before and after a guest runs to show it changed nothing.</summary>
    public static string[] Snapshot(string directory) =>
        Directory.EnumerateFileSystemEntries(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(path =>
            {
                var info = new FileInfo(path);
                string relative = Path.GetRelativePath(directory, path);
                return info.LinkTarget is { } target ? $"{relative} -> {target}"
                    : Directory.Exists(path) ? relative + "/"
                    : $"{relative} ({info.Length} bytes)";
            })
            .Order(StringComparer.Ordinal)
            .ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
