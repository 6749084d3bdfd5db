namespace IronWasm.Fuzzing;

/// <summary>Bounds on what one mutated module may consume.</summary>
internal sealed record PipelineLimits
{
    /// <summary>Fuel for instantiation (the start function) and again for each exported function.</summary>
    public long FuelPerCall { get; init; } = 100_000;
    public long MemoryBytes { get; init; } = 16 * 1024 * 1024;
    public long TableElements { get; init; } = 100_000;
    /// <summary>How many exported functions are called per module (the first ones, in export order).</summary>
    public int MaxCalls { get; init; } = 64;
}

/// <summary>Takes one module through everything a host would do with untrusted bytes: decode and
/// validate, instantiate in a fresh store with fuel and limits, then call every exported function with
/// default arguments. Classifies the result; any exception that is not IronWasm's own is a failure.</summary>
internal sealed class ModulePipeline
{
    private readonly Engine _engine;
    private readonly PipelineLimits _limits;
    private readonly Linker _emptyLinker;

    public ModulePipeline(PipelineLimits? limits = null)
    {
        _limits = limits ?? new PipelineLimits();
        _engine = new Engine(new Config().WithFuelConsumption(true));
        _emptyLinker = new Linker(_engine);
    }

    /// <summary>Runs <paramref name="bytes"/>; on <see cref="FuzzOutcome.Unexpected"/>, <paramref name="stage"/>
    /// says where and <paramref name="unexpected"/> holds what came out.</summary>
    public FuzzOutcome Run(byte[] bytes, FuzzStats stats, out string? stage, out Exception? unexpected)
    {
        stage = "decode and validate";
        unexpected = null;
        try
        {
            Module module;
            try
            {
                module = Module.FromBytes(_engine, "fuzz", bytes);
            }
            catch (WasmFormatException) { return FuzzOutcome.Malformed; }
            catch (WasmValidationException) { return FuzzOutcome.Invalid; }

            using var store = new Store(_engine);
            store.SetLimits(memorySize: _limits.MemoryBytes, tableElements: _limits.TableElements);
            var linker = module.Imports.Count > 0 ? SpectestImports.CreateLinker(_engine, store) : _emptyLinker;

            stage = "instantiate";
            Instance instance;
            try
            {
                store.Fuel = _limits.FuelPerCall;
                instance = linker.Instantiate(store, module);
            }
            catch (WasmLinkException) { return FuzzOutcome.LinkError; }
            catch (TrapException trap) when (trap.Code != TrapCode.HostError)
            {
                stats.Traps[(int)trap.Code]++;
                return FuzzOutcome.Trapped;
            }

            bool trapped = false;
            int calls = 0;
            foreach (var export in module.Exports)
            {
                if (export.Kind != ExternalKind.Function) continue;
                if (calls++ >= _limits.MaxCalls) break;
                stage = $"call export \"{export.Name}\"";
                var function = instance.GetFunction(export.Name)!;
                var type = function.Type;
                var arguments = new WasmValue[type.Parameters.Count];
                for (int i = 0; i < arguments.Length; i++) arguments[i] = WasmValue.Default(type.Parameters[i]);
                var results = new WasmValue[type.Results.Count];
                store.Fuel = _limits.FuelPerCall;
                stats.Calls++;
                try
                {
                    function.Invoke(arguments, results);
                }
                catch (TrapException trap) when (trap.Code != TrapCode.HostError)
                {
                    stats.Traps[(int)trap.Code]++;
                    trapped = true;
                }
            }
            return trapped ? FuzzOutcome.Trapped : FuzzOutcome.Ran;
        }
        catch (Exception e)
        {
            // Includes HostError traps: the fuzzer's host functions never throw, so such a trap wraps an
            // exception the engine itself raised inside the guest (for example while compiling lazily).
            unexpected = e;
            return FuzzOutcome.Unexpected;
        }
    }
}
