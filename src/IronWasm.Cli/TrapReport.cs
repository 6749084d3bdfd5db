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
        WriteBacktrace(error, trap.WasmBacktrace);
    }

    /// <summary>The Wasm backtrace after a "wasm backtrace:" line; nothing when it is empty.</summary>
    public static void WriteBacktrace(TextWriter error, IReadOnlyList<string> frames)
    {
        if (frames.Count == 0) return;
        error.WriteLine("wasm backtrace:");
        for (int i = 0; i < frames.Count;)
        {
            // Deep recursion would print thousands of identical lines: a run of one frame is one line.
            int run = 1;
            while (i + run < frames.Count && frames[i + run] == frames[i]) run++;
            error.WriteLine(run > 2 ? $"  {i,3}: {frames[i]} (repeated {run} times)" : $"  {i,3}: {frames[i]}");
            if (run == 2) error.WriteLine($"  {i + 1,3}: {frames[i]}");
            i += run;
        }
    }

    private static string Describe(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1 ? $"{timeout.TotalSeconds:0.###}s" : $"{timeout.TotalMilliseconds:0.###}ms";
}
