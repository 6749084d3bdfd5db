namespace IronWasm.Hardware.Deployment;

/// <summary>A deployment cannot start or go on: a module plays no device world, an app's import
/// has no driver, a driver is granted no bus or fails to attach, or a guest trapped. The message
/// says which guest and why; the host process and the other guests carry on.</summary>
public sealed class DeploymentException : Exception
{
    public DeploymentException(string message, string? guest = null, Exception? inner = null)
        : base(message, inner)
    {
        Guest = guest;
    }

    /// <summary>The guest (as the policy names it) the error is about, when there is one.</summary>
    public string? Guest { get; }

    /// <summary>The trap, when a guest trapped.</summary>
    public TrapException? Trap => InnerException as TrapException;

    /// <summary>The trap's Wasm backtrace, innermost frame first; empty when no guest trapped.</summary>
    public IReadOnlyList<string> WasmBacktrace => Trap?.WasmBacktrace ?? [];
}
