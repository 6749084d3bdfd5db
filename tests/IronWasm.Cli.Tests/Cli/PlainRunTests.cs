namespace IronWasm.Cli.Tests.Cli;

/// <summary>The shortcut for <c>run FILE [ARGS...]</c> (no options, so no parser built) must mean exactly
/// what System.CommandLine makes of the same words, and must leave every other command line to it.</summary>
public sealed class PlainRunTests
{
    public static TheoryData<string[]> PlainRuns() => new()
    {
        { ["run", "hello.wasm"] },
        { ["run", "hello.wasm", "a", "b c", ""] },
        { ["run", "hello.wasm", "--", "a"] },
        { ["run", "hello.wasm", "--", "--", "x"] },
        { ["run", "hello.wasm", "a", "--", "b"] },
        { ["run", "hello.wasm", "--help", "-h", "--version", "-?"] },
        { ["run", "hello.wasm", "--dir", ".", "--env", "A=1", "--invoke", "f", "--fuel", "1"] },
        { ["run", "@guest.wasm", "@arguments"] },
        { ["run", "validate", "inspect"] },
        { ["run", "[diagram]", "x"] },
        { ["run", "hello.wat", "-"] },
    };

    [Theory]
    [MemberData(nameof(PlainRuns))]
    public void ShortcutGivesTheParsersOptions(string[] args)
    {
        var shortcut = CliApplication.PlainRunOptions(args);
        Assert.NotNull(shortcut);
        Assert.Equal(Describe(ParsedOptions(args)), Describe(shortcut));
    }

    public static TheoryData<string[]> OtherCommandLines() => new()
    {
        { ["run"] },
        { ["run", "--fuel", "10", "hello.wasm"] },
        { ["run", "--dir=.", "hello.wasm"] },
        { ["run", "--help"] },
        { ["run", "-", "a"] },
        { ["run", ""] },
        { ["validate", "hello.wasm"] },
        { ["inspect", "run"] },
        { ["--version"] },
        { ["Run", "hello.wasm"] },
    };

    [Theory]
    [MemberData(nameof(OtherCommandLines))]
    public void OtherCommandLinesGoToTheParser(string[] args)
    {
        Assert.Null(CliApplication.PlainRunOptions(args));
    }

    [Fact]
    public void ShortcutRunsTheGuestLikeTheParser()
    {
        string[] args = ["run", GuestPaths.Hello, "--", "x"];
        var viaShortcut = Capture(args, plainRunShortcut: true);
        var viaParser = Capture(args, plainRunShortcut: false);
        Assert.Equal(Describe(viaParser), Describe(viaShortcut));
        Assert.Equal(GuestPaths.Hello, viaShortcut.File);
        Assert.Equal(["x"], viaShortcut.Arguments);
    }

    private static RunOptions ParsedOptions(string[] args) => Capture(args, plainRunShortcut: false);

    private static RunOptions Capture(string[] args, bool plainRunShortcut)
    {
        RunOptions? captured = null;
        var console = CliConsole.FromStreams(new MemoryStream(), new MemoryStream(), new MemoryStream());
        int exitCode = CliApplication.Run(args, console, options => { captured = options; return 42; }, plainRunShortcut);
        Assert.Equal(42, exitCode);
        return captured!;
    }

    private static string Describe(RunOptions options) =>
        $"file=<{options.File}> args=[{string.Join("|", options.Arguments.Select(a => $"<{a}>"))}] " +
        $"dirs={options.Directories.Count} env={options.Environment.Count} invoke={options.Invoke ?? "-"} " +
        $"fuel={options.Fuel?.ToString() ?? "-"} memory={options.MaxMemory?.ToString() ?? "-"} timeout={options.Timeout?.ToString() ?? "-"}";
}
