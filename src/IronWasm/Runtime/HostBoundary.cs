using System.Collections;
using System.Diagnostics;
using System.Reflection.Emit;
using IronWasm.Loading;

namespace IronWasm.Runtime;

/// <summary>What every entry from host code into a guest does when the guest leaves by an exception:
/// restore the call depth counted by compiled code, and turn whatever escaped into a
/// <see cref="TrapException"/> with a Wasm backtrace.</summary>
/// <remarks>Guest code runs on the calling thread. Compiled code counts nesting in
/// <see cref="ExecutionState.CallDepth"/> against <see cref="ExecutionState.MaxCallDepth"/> and also
/// probes the real stack, so unbounded recursion traps with <see cref="TrapCode.StackOverflow"/>
/// rather than killing the process. For the depth limit (not the stack probe) to be what stops a
/// guest, the thread needs roughly MaxCallDepth times the largest frame of the guest's functions
/// (a few hundred bytes for typical functions): the default limit fits the 8 MiB main-thread stack;
/// run deep guests on a thread created with a larger stack.</remarks>
internal static class HostBoundary
{
    /// <summary>Called in the catch block of a host entry. Returns null when the caught exception
    /// should be rethrown as it is (it already is a trap), else the trap to throw instead.</summary>
    public static Exception? OnException(ExecutionState? state, int depth, Exception exception)
    {
        if (state is not null) state.CallDepth = depth;
        switch (exception)
        {
            case TrapException trap:
                if (trap.WasmBacktrace is not Backtrace) trap.WasmBacktrace = new Backtrace(exception);
                return null;
            case InsufficientExecutionStackException:
                return new TrapException(TrapCode.StackOverflow, null, exception) { WasmBacktrace = new Backtrace(exception) };
            default:
                return new TrapException(TrapCode.HostError, $"host function failed: {exception.GetType().Name}: {exception.Message}", exception)
                {
                    WasmBacktrace = new Backtrace(exception),
                };
        }
    }

    /// <summary>Whether a method name is one <see cref="CompiledModule.MethodName(int)"/> gives.</summary>
    public static bool IsWasmMethodName(string name) =>
        name.StartsWith('$') || name.StartsWith("wasm-function[", StringComparison.Ordinal);
}

/// <summary>The Wasm frames an exception passed through, innermost first, read from its stack trace
/// the first time they are asked for (so traps that nobody inspects cost no stack walk). It lists
/// every frame the exception has crossed by then, including outer guests it was rethrown through.</summary>
internal sealed class Backtrace(Exception exception) : IReadOnlyList<string>
{
    private string[]? _frames;

    private string[] Frames => _frames ??= Collect();

    private string[] Collect()
    {
        var frames = new List<string>();
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: false).GetFrames())
        {
            var method = frame.GetMethod();
            if (method is DynamicMethod dynamic)
            {
                if (HostBoundary.IsWasmMethodName(dynamic.Name)) frames.Add(dynamic.Name);
            }
            else if (method is not null && PersistedCode.FunctionName(method) is { } name)
            {
                frames.Add(name);
            }
        }
        return frames.ToArray();
    }

    public string this[int index] => Frames[index];
    public int Count => Frames.Length;
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)Frames).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
