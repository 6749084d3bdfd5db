namespace IronWasm.Wasi.Tests;

/// <summary>A fresh host directory tree for one test: <see cref="Sandbox"/> (preopened as fd 3 under
/// the guest name "/sandbox") beside <see cref="Outside"/>, which holds <c>secret.txt</c> the guest must
/// never reach.</summary>
internal sealed class TempSandbox : IDisposable
{
    public const int Fd = 3;

    public TempSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "ironwasm-wasi-" + Guid.NewGuid().ToString("N"));
        Sandbox = Path.Combine(Root, "sandbox");
        Outside = Path.Combine(Root, "outside");
        Directory.CreateDirectory(Sandbox);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "secret.txt"), "secret");
    }

    public string Root { get; }
    public string Sandbox { get; }
    public string Outside { get; }

    public string InSandbox(string relative) => Path.Combine(Sandbox, relative);

    public void WriteFile(string relative, string contents)
    {
        var path = InSandbox(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
    }

    /// <summary>A guest with the sandbox preopened (read-write unless told).</summary>
    public WasiGuest Guest(DirectoryRights rights = DirectoryRights.ReadWrite, Action<WasiConfiguration>? configure = null) =>
        new(c =>
        {
            c.WithPreopenedDirectory(Sandbox, "/sandbox", rights);
            configure?.Invoke(c);
        });

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
