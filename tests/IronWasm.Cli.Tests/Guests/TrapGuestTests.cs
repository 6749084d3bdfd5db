namespace IronWasm.Cli.Tests.Guests;

/// <summary>A trap ends the guest, not the host: through the API it is a <see cref="TrapException"/> with
/// the guest's function names in its backtrace; through the CLI it is exit status 134 and a report on stderr.</summary>
public sealed class TrapGuestTests
{
    [Theory]
    [InlineData("unreachable", TrapCode.Unreachable, "crash_in_guest")]
    [InlineData("divide", TrapCode.IntegerDivisionByZero, "divide_in_guest")]
    [InlineData("memory", TrapCode.MemoryOutOfBounds, "load_out_of_bounds")]
    [InlineData("stack", TrapCode.StackOverflow, "recurse_forever")]
    public void ApiRaisesTheTrapWithTheGuestsBacktrace(string mode, TrapCode code, string innermost)
    {
        var result = GuestRun.Run(GuestRunner.Api, new GuestInvocation(GuestPaths.TestProgram("trap")) { Arguments = [mode] });
        Assert.NotNull(result.Trap);
        Assert.Equal(code, result.Trap!.Code);
        Assert.Contains(innermost, result.Trap.WasmBacktrace[0]);
        Assert.Contains(result.Trap.WasmBacktrace, frame => frame.Contains("main"));
        Assert.Equal($"about to trap: {mode}\n", result.StandardOutput);
    }

    [Theory]
    [InlineData("unreachable", "unreachable [Unreachable]", "crash_in_guest")]
    [InlineData("divide", "integer divide by zero [IntegerDivisionByZero]", "divide_in_guest")]
    [InlineData("memory", "out of bounds memory access [MemoryOutOfBounds]", "load_out_of_bounds")]
    public void CliExitsWith134AndReportsTheTrapAndBacktrace(string mode, string trap, string innermost)
    {
        var result = GuestRun.Run(GuestRunner.Cli, new GuestInvocation(GuestPaths.TestProgram("trap")) { Arguments = [mode] });
        Assert.Equal(134, result.ExitCode);
        Assert.Equal($"about to trap: {mode}\n", result.StandardOutput);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"ironwasm: trap: {trap}", lines[0]);
        Assert.Equal("wasm backtrace:", lines[1]);
        Assert.Equal($"    0: ${innermost}", lines[2]);
        Assert.Equal("    1: $main", lines[3]);
    }

    [Fact]
    public void CliFoldsDeepRecursionIntoOneBacktraceLine()
    {
        var result = GuestRun.Run(GuestRunner.Cli, new GuestInvocation(GuestPaths.TestProgram("trap")) { Arguments = ["stack"] });
        Assert.Equal(134, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ironwasm: trap: call stack exhausted [StackOverflow]", lines[0]);
        Assert.Matches(@"^    0: \$recurse_forever \(repeated \d+ times\)$", lines[2]);
        Assert.Matches(@"^ +\d+: \$main$", lines[3]);
        Assert.True(lines.Length < 20, $"the backtrace should be short, it has {lines.Length} lines");
    }
}
