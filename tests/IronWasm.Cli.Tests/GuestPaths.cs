namespace IronWasm.Cli.Tests;

/// <summary>Where the committed guests are (the tests need no C toolchain): the checkout the test
/// assembly was built from, else the first directory above it that holds IronWasm.slnx.</summary>
internal static class GuestPaths
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var built = typeof(GuestPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "IronWasm.slnx"))) return built;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IronWasm.slnx"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no IronWasm.slnx above {AppContext.BaseDirectory}");
    });

    public static string RepositoryRoot => Root.Value;

    public static string GuestsDirectory => Path.Combine(RepositoryRoot, "guests");

    /// <summary>The built test program guests/tests/NAME.wasm.</summary>
    public static string TestProgram(string name) => Path.Combine(GuestsDirectory, "tests", name + ".wasm");

    public static string Hello => Path.Combine(GuestsDirectory, "hello.wasm");
}
