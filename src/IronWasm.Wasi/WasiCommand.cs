namespace IronWasm.Wasi;

/// <summary>Runs a WASI command module the way a shell runs a program.</summary>
public static class WasiCommand
{
    /// <summary>Instantiates <paramref name="module"/> and calls its <c>_start</c> export; a reactor
    /// (no <c>_start</c>) gets its <c>_initialize</c> called, if it has one. Returns the exit code: 0 when
    /// the guest returns, the code it gave <c>proc_exit</c> otherwise. Traps propagate as
    /// <see cref="TrapException"/>; a module whose imports the linker cannot satisfy throws
    /// <see cref="WasmLinkException"/>.</summary>
    public static int Run(Linker linker, Store store, Module module)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(module);
        try
        {
            var instance = linker.Instantiate(store, module);
            var entry = instance.GetFunction("_start") ?? instance.GetFunction("_initialize");
            if (entry is null) return 0;
            if (entry.Type.Parameters.Count != 0 || entry.Type.Results.Count != 0)
                throw new WasmLinkException($"a command's entry point must have type [] -> [], but it is {entry.Type}");
            entry.Invoke(ReadOnlySpan<WasmValue>.Empty, Span<WasmValue>.Empty);
            return 0;
        }
        catch (ExitException exit)
        {
            return exit.ExitCode;
        }
    }
}
