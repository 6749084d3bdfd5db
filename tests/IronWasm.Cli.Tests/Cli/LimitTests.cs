namespace IronWasm.Cli.Tests.Cli;

/// <summary>--fuel, --timeout and --max-memory bound a guest; running into one is a trap (status 134)
/// that says which limit it was, or for memory growth the -1 that Wasm prescribes.</summary>
public sealed class LimitTests : IDisposable
{
    private readonly TempModule _module = TempModule.Text("""
        (module
          (memory (export "memory") 1)
          (func (export "spin") (loop br 0))
          (func (export "count") (param i32) (result i32)
            (local i32)
            (block (loop
              (br_if 1 (i32.ge_u (local.get 1) (local.get 0)))
              (local.set 1 (i32.add (local.get 1) (i32.const 1)))
              (br 0)))
            (local.get 1))
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
        )
        """);

    public void Dispose() => _module.Dispose();

    [Fact]
    public void FuelRunningOutIsATrap()
    {
        var result = CliRun.InProcess(["run", "--fuel", "10000", "--invoke", "spin", _module.Path]);
        Assert.Equal(134, result.ExitCode);
        Assert.StartsWith("ironwasm: trap: all fuel consumed (--fuel 10000) [OutOfFuel]\n", result.StandardError);
    }

    [Fact]
    public void EnoughFuelLetsTheGuestFinish()
    {
        var result = CliRun.InProcess(["run", "--fuel", "1_000_000", "--invoke", "count", _module.Path, "1000"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1000\n", result.StandardOutput);
    }

    [Fact]
    public void TimeoutInterruptsAnEndlessLoop()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = CliRun.InProcess(["run", "--timeout", "200ms", "--invoke", "spin", _module.Path]);
        Assert.Equal(134, result.ExitCode);
        Assert.StartsWith("ironwasm: trap: interrupted: the timeout of 200ms passed (--timeout) [Interrupt]\n", result.StandardError);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(200), $"stopped after {watch.Elapsed}");
    }

    [Fact]
    public void TimeoutDoesNotDisturbAQuickGuest()
    {
        var result = CliRun.InProcess(["run", "--timeout", "1m", GuestPaths.Hello]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Hello from WebAssembly!\n", result.StandardOutput);
    }

    [Fact]
    public void MemoryGrowthBeyondTheLimitReturnsMinusOne()
    {
        // 1 page now; 4 pages (256 KiB) allowed: growing by 3 works, by 4 does not.
        Assert.Equal("1\n", CliRun.InProcess(["run", "--max-memory", "256KiB", "--invoke", "grow", _module.Path, "3"]).StandardOutput);
        Assert.Equal("-1\n", CliRun.InProcess(["run", "--max-memory", "256KiB", "--invoke", "grow", _module.Path, "4"]).StandardOutput);
    }

    [Fact]
    public void ModuleNeedingMoreMemoryThanTheLimitTraps()
    {
        // hello.wasm declares 2 pages (128 KiB) of memory.
        var result = CliRun.InProcess(["run", "--max-memory", "64k", GuestPaths.Hello]);
        Assert.Equal(134, result.ExitCode);
        Assert.Contains("[ResourceLimitExceeded]", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }
}
