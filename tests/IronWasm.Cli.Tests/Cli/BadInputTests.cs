namespace IronWasm.Cli.Tests.Cli;

/// <summary>Every bad input is one line on stderr, nothing on stdout, and a status that says what kind
/// of mistake it was: 64 command line, 65 module, 66 unreadable input. Never a stack trace.</summary>
public sealed class BadInputTests
{
    private static void AssertOneLine(GuestResult result, int exitCode, string expectedLine)
    {
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal(expectedLine + "\n", result.StandardError);
    }

    [Fact]
    public void MissingFile()
    {
        AssertOneLine(CliRun.InProcess(["run", "no/such/file.wasm"]), 66, "ironwasm: error: no/such/file.wasm: cannot read the module: no such file");
    }

    [Fact]
    public void DirectoryInsteadOfFile()
    {
        AssertOneLine(CliRun.InProcess(["run", GuestPaths.GuestsDirectory]), 66, $"ironwasm: error: {GuestPaths.GuestsDirectory}: is a directory, not a module file");
    }

    [Fact]
    public void MalformedBinary()
    {
        using var module = TempModule.Binary([0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00]);
        var result = CliRun.InProcess(["run", module.Path]);
        Assert.Equal(65, result.ExitCode);
        Assert.StartsWith($"ironwasm: error: {module.Path}: malformed module: ", result.StandardError);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void TruncatedBinary()
    {
        var bytes = File.ReadAllBytes(GuestPaths.Hello);
        using var module = TempModule.Binary(bytes[..(bytes.Length / 2)]);
        var result = CliRun.InProcess(["run", module.Path]);
        Assert.Equal(65, result.ExitCode);
        Assert.StartsWith($"ironwasm: error: {module.Path}: malformed module: ", result.StandardError);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void InvalidModule()
    {
        using var module = TempModule.Text("(module (func (result i32) f32.const 1))");
        var result = CliRun.InProcess(["run", module.Path]);
        Assert.Equal(65, result.ExitCode);
        Assert.StartsWith($"ironwasm: error: {module.Path}: invalid module: ", result.StandardError);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void MalformedText()
    {
        using var module = TempModule.Text("(module (func $f (nonsense)))");
        var result = CliRun.InProcess(["run", module.Path]);
        Assert.Equal(65, result.ExitCode);
        Assert.StartsWith($"ironwasm: error: {module.Path}: malformed module: ", result.StandardError);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void BinaryThatIsNotWasm()
    {
        using var module = TempModule.Binary([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0xFF, 0xFE]);
        AssertOneLine(CliRun.InProcess(["run", module.Path]), 65,
            $"ironwasm: error: {module.Path}: not a WebAssembly module: it starts with neither the \\0asm magic nor WAT text");
    }

    [Fact]
    public void UndefinedImport()
    {
        using var module = TempModule.Text("""(module (import "env" "missing" (func)))""");
        var result = CliRun.InProcess(["run", module.Path]);
        Assert.Equal(65, result.ExitCode);
        Assert.StartsWith($"ironwasm: error: {module.Path}: cannot instantiate: ", result.StandardError);
        Assert.Contains("missing", result.StandardError);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData(new[] { "run", "--fuel", "lots", "x.wasm" }, "ironwasm: error: --fuel: `lots` is not an amount of fuel: use a whole number from 0 to 9223372036854775807 (see `ironwasm run --help`)")]
    [InlineData(new[] { "run", "--fuel", "-5", "x.wasm" }, "ironwasm: error: --fuel: `-5` is not an amount of fuel: use a whole number from 0 to 9223372036854775807 (see `ironwasm run --help`)")]
    [InlineData(new[] { "run", "--max-memory", "12 parsecs", "x.wasm" }, "ironwasm: error: --max-memory: `12 parsecs` is not a size: use bytes with an optional unit, e.g. 65536, 64KiB, 16MiB, 1GiB (k/m/g are binary units too) (see `ironwasm run --help`)")]
    [InlineData(new[] { "run", "--timeout", "soon", "x.wasm" }, "ironwasm: error: --timeout: `soon` is not a duration: use a number with a unit, e.g. 500ms, 2s, 1m, 1h (see `ironwasm run --help`)")]
    [InlineData(new[] { "run", "--timeout", "0s", "x.wasm" }, "ironwasm: error: --timeout: `0s` is not a usable timeout: it must be positive and below 100 years (see `ironwasm run --help`)")]
    [InlineData(new[] { "run", "--env", "NOVALUE", "x.wasm" }, "ironwasm: error: --env: `NOVALUE` is not an environment variable: use KEY=VALUE, e.g. --env LANG=C (see `ironwasm run --help`)")]
    [InlineData(new[] { "run", "--env", "=value", "x.wasm" }, "ironwasm: error: --env: `=value` is not an environment variable: use KEY=VALUE, e.g. --env LANG=C (see `ironwasm run --help`)")]
    [InlineData(new[] { "run", "--dir", "::guest", "x.wasm" }, "ironwasm: error: --dir: `::guest` is not a directory mapping: use HOST or HOST::GUEST, e.g. --dir ./data::/data (see `ironwasm run --help`)")]
    [InlineData(new[] { "run", "--bogus", "x.wasm" }, "ironwasm: error: unknown option `--bogus` for run (see `ironwasm run --help`); options go before FILE, guest arguments after it")]
    [InlineData(new[] { "run" }, "ironwasm: error: Required argument 'file' missing for command: 'run'. (see `ironwasm run --help`)")]
    [InlineData(new[] { "frobnicate" }, "ironwasm: error: unknown command `frobnicate` (see `ironwasm --help`)")]
    [InlineData(new string[0], "ironwasm: error: Required command was not provided. (see `ironwasm --help`)")]
    [InlineData(new[] { "validate", "a.wasm", "b.wasm" }, "ironwasm: error: unknown argument `b.wasm` (see `ironwasm validate --help`)")]
    public void CommandLineMistake(string[] args, string line)
    {
        AssertOneLine(CliRun.InProcess(args), 64, line);
    }

    [Fact]
    public void MissingPreopenDirectory()
    {
        AssertOneLine(CliRun.InProcess(["run", "--dir", "/no/such/directory::/data", GuestPaths.Hello]), 66, "ironwasm: error: --dir /no/such/directory: no such directory");
    }
}
