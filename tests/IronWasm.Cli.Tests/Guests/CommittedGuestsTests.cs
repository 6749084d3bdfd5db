namespace IronWasm.Cli.Tests.Guests;

/// <summary>The committed modules match the sources in number and validate; that their bytes match a
/// fresh build is CI's job (guests/build.sh --check), as it needs the C toolchain.</summary>
public sealed class CommittedGuestsTests
{
    private static IEnumerable<string> Files(string pattern) =>
        Directory.EnumerateFiles(GuestPaths.GuestsDirectory, pattern)
            .Concat(Directory.EnumerateFiles(Path.Combine(GuestPaths.GuestsDirectory, "tests"), pattern))
            .Select(path => Path.ChangeExtension(Path.GetRelativePath(GuestPaths.GuestsDirectory, path), null))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void EverySourceHasItsModuleAndEveryModuleItsSource()
    {
        Assert.Equal(Files("*.c"), Files("*.wasm"));
    }

    public static TheoryData<string> Modules()
    {
        var data = new TheoryData<string>();
        foreach (var name in Files("*.wasm")) data.Add(name + ".wasm");
        return data;
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void ModuleIsAValidWasiCommand(string module)
    {
        var result = CliRun.InProcess(["inspect", Path.Combine(GuestPaths.GuestsDirectory, module)]);
        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.Split('\n');
        Assert.Contains(lines, l => l.Contains("│ _start ") && l.Contains("[] -> []"));
        // Only WASI preview 1 imports: nothing else would link in ironwasm run.
        Assert.DoesNotContain(lines, l => l.Contains(" func ") && !l.Contains("wasi_snapshot_preview1") && !l.Contains("│ _start "));
        Assert.Contains(lines, l => l.Contains("custom \"name\""));
    }
}
