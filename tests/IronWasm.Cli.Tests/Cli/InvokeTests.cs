namespace IronWasm.Cli.Tests.Cli;

/// <summary><c>ironwasm run --invoke</c>: arguments parsed by the export's parameter types, results printed
/// one per line.</summary>
public sealed class InvokeTests : IDisposable
{
    private readonly TempModule _module = TempModule.Text("""
        (module
          (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
          (global (export "counter") (mut i32) (i32.const 0))
          (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
          (func (export "wide") (param i64) (result i64) local.get 0 i64.const 1 i64.add)
          (func (export "swap") (param f32 f64) (result f64 f32) local.get 1 local.get 0)
          (func (export "vector") (param v128) (result v128) local.get 0)
          (func (export "is_null") (param externref) (result i32) local.get 0 ref.is_null)
          (func (export "nothing"))
          (func (export "quit") (param i32) local.get 0 call $exit)
          (func (export "_initialize") i32.const 41 global.set 0)
          (func (export "counter_value") (result i32) global.get 0)
        )
        """);

    public void Dispose() => _module.Dispose();

    private GuestResult Invoke(string export, params string[] arguments) =>
        CliRun.InProcess(["run", "--invoke", export, _module.Path, .. arguments]);

    [Fact]
    public void PrintsTheResult()
    {
        var result = Invoke("add", "2", "40");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("42\n", result.StandardOutput);
        Assert.Equal("", result.StandardError);
    }

    [Fact]
    public void I32AcceptsNegativeUnsignedAndHex()
    {
        Assert.Equal("-2\n", Invoke("add", "-1", "0xffffffff").StandardOutput);
        Assert.Equal("-1\n", Invoke("add", "4294967295", "0").StandardOutput);
        Assert.Equal("-2147483648\n", Invoke("add", "-2147483648", "0").StandardOutput);
    }

    [Fact]
    public void I64UsesAllSixtyFourBits()
    {
        Assert.Equal("-9223372036854775808\n", Invoke("wide", "9223372036854775807").StandardOutput);
        Assert.Equal("0\n", Invoke("wide", "18446744073709551615").StandardOutput);
    }

    [Fact]
    public void SeveralResultsArePrintedInOrder()
    {
        Assert.Equal("-0.25\n1.5\n", Invoke("swap", "1.5", "-0.25").StandardOutput);
    }

    [Fact]
    public void FloatsAcceptNanAndInfinities()
    {
        Assert.Equal("-inf\nnan\n", Invoke("swap", "nan", "-inf").StandardOutput);
    }

    [Fact]
    public void V128IsHex()
    {
        Assert.Equal("0x000102030405060708090a0b0c0d0e0f\n", Invoke("vector", "0x000102030405060708090a0b0c0d0e0f").StandardOutput);
    }

    [Fact]
    public void ReferencesAcceptNull()
    {
        Assert.Equal("1\n", Invoke("is_null", "null").StandardOutput);
    }

    [Fact]
    public void NoResultsPrintsNothing()
    {
        var result = Invoke("nothing");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public void ReactorIsInitializedFirst()
    {
        Assert.Equal("41\n", Invoke("counter_value").StandardOutput);
    }

    [Fact]
    public void ProcExitFromAnExportIsTheExitStatus()
    {
        var result = Invoke("quit", "12");
        Assert.Equal(12, result.ExitCode);
        Assert.Equal("", result.StandardError);
    }

    [Theory]
    [InlineData("add", new[] { "1" }, "ironwasm: error: `add` takes 2 arguments [i32 i32] -> [i32], but 1 was given")]
    [InlineData("add", new[] { "1", "x" }, "ironwasm: error: argument 2 of `add`: `x` is not an i32 (e.g. 42, -1, 4294967295, 0xff)")]
    [InlineData("add", new[] { "4294967296", "0" }, "ironwasm: error: argument 1 of `add`: `4294967296` is not an i32 (e.g. 42, -1, 4294967295, 0xff)")]
    [InlineData("swap", new[] { "1,5", "0" }, "ironwasm: error: argument 1 of `swap`: `1,5` is not an f32 (e.g. 1.5, -0, nan, inf)")]
    [InlineData("is_null", new[] { "5" }, "ironwasm: error: argument 1 of `is_null`: `5` is not a reference: only `null` can be written on the command line")]
    public void BadArgumentsAreOneLineAndUsageStatus(string export, string[] arguments, string message)
    {
        var result = Invoke(export, arguments);
        Assert.Equal(64, result.ExitCode);
        Assert.Equal(message + "\n", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public void MissingExportListsTheFunctions()
    {
        var result = Invoke("subtract");
        Assert.Equal(64, result.ExitCode);
        Assert.StartsWith($"ironwasm: error: {_module.Path}: no export named `subtract` (its functions: add, wide, swap,", result.StandardError);
    }

    [Fact]
    public void ExportThatIsNotAFunctionIsRefused()
    {
        var result = Invoke("counter");
        Assert.Equal(64, result.ExitCode);
        Assert.Equal($"ironwasm: error: {_module.Path}: export `counter` is a global, not a function\n", result.StandardError);
    }
}
