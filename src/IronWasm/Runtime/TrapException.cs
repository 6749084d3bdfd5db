namespace IronWasm;

/// <summary>A guest trapped. <see cref="Code"/> says why; <see cref="WasmBacktrace"/> lists the
/// Wasm functions that were active, innermost first, named from the name section where present.</summary>
public class TrapException : WasmException
{
    public TrapException(TrapCode code, string? message = null, Exception? inner = null)
        : base(message ?? Describe(code), inner)
    {
        Code = code;
    }

    public TrapCode Code { get; }

    /// <summary>Active Wasm frames, innermost first; filled in when the trap leaves the guest.</summary>
    public IReadOnlyList<string> WasmBacktrace { get; internal set; } = [];

    public static string Describe(TrapCode code) => code switch
    {
        TrapCode.Unreachable => "unreachable",
        TrapCode.StackOverflow => "call stack exhausted",
        TrapCode.MemoryOutOfBounds => "out of bounds memory access",
        TrapCode.TableOutOfBounds => "out of bounds table access",
        TrapCode.IndirectCallToNull => "uninitialized element",
        TrapCode.BadSignature => "indirect call type mismatch",
        TrapCode.IntegerOverflow => "integer overflow",
        TrapCode.IntegerDivisionByZero => "integer divide by zero",
        TrapCode.BadConversionToInteger => "invalid conversion to integer",
        TrapCode.ElementOutOfBounds => "out of bounds table access",
        TrapCode.Interrupt => "interrupted",
        TrapCode.OutOfFuel => "all fuel consumed",
        TrapCode.ResourceLimitExceeded => "resource limit exceeded",
        TrapCode.HostError => "host function failed",
        TrapCode.Exit => "exit",
        _ => code.ToString(),
    };

    public override string ToString()
    {
        var text = $"{GetType().Name}: {Message} ({Code})";
        if (WasmBacktrace.Count > 0) text += Environment.NewLine + string.Join(Environment.NewLine, WasmBacktrace.Select((f, i) => $"  {i}: {f}"));
        return text;
    }
}

/// <summary>The guest asked to exit with a status (WASI proc_exit). Not an error of the guest.</summary>
public sealed class ExitException : TrapException
{
    public ExitException(int exitCode) : base(TrapCode.Exit, $"guest exited with status {exitCode}") => ExitCode = exitCode;
    public int ExitCode { get; }
}

/// <summary>Raises traps from compiled code; kept out of line so the fast paths stay small.</summary>
internal static class Traps
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static void Throw(TrapCode code) => throw new TrapException(code);
}
