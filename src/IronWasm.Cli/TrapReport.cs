namespace IronWasm.Cli;

/// <summary>How a trap is reported on stderr: what happened, which limit was hit if one was, and the
/// Wasm backtrace (innermost frame first, as wasmtime prints it).</summary>
internal static class TrapReport
{
    public static void Write(TextWriter error, TrapException trap, RunOptions options)
    {
        string why = trap.Code switch
        {
            TrapCode.OutOfFuel when options.Fuel is { } fuel => $"all fuel consumed (--fuel {fuel})",
            TrapCode.Interrupt when options.Timeout is { } timeout => $"interrupted: the timeout of {Describe(timeout)} passed (--timeout)",
            TrapCode.HostError when trap.InnerException is { } inner => $"host function failed: {ModuleFile.OneLine(inner.Message)}",
            _ => ModuleFile.OneLine(trap.Message),
        };
        error.WriteLine($"ironwasm: trap: {why} [{trap.Code}]");
        if (trap.WasmBacktrace.Count == 0) return;
        error.WriteLine("wasm backtrace:");
        for (int i = 0; i < trap.WasmBacktrace.Count; i++) error.WriteLine($"  {i,3}: {trap.WasmBacktrace[i]}");
    }

    private static string Describe(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 ? $"{timeout.TotalSeconds:0.###}s" : $"{timeout.TotalMilliseconds:0.###}ms";
}
