namespace IronWasm.Fuzzing;

/// <summary>The "spectest" host module of the spec scripts (print functions that do nothing, globals
/// holding 666, a 10..20 funcref table, a 1..2 page memory), so seeds taken from the suite can link.
/// Every other import stays undefined: a link error is one of the outcomes the fuzzer expects.</summary>
internal static class SpectestImports
{
    public const string ModuleName = "spectest";

    public static Linker CreateLinker(Engine engine, Store store)
    {
        var linker = new Linker(engine);
        linker.DefineFunction(ModuleName, "print", () => { });
        linker.DefineFunction(ModuleName, "print_i32", (int _) => { });
        linker.DefineFunction(ModuleName, "print_i64", (long _) => { });
        linker.DefineFunction(ModuleName, "print_f32", (float _) => { });
        linker.DefineFunction(ModuleName, "print_f64", (double _) => { });
        linker.DefineFunction(ModuleName, "print_i32_f32", (int _, float _) => { });
        linker.DefineFunction(ModuleName, "print_f64_f64", (double _, double _) => { });
        linker.Define(ModuleName, "global_i32", new Global(store, ValueKind.I32, WasmValue.FromInt32(666), mutable: false));
        linker.Define(ModuleName, "global_i64", new Global(store, ValueKind.I64, WasmValue.FromInt64(666), mutable: false));
        linker.Define(ModuleName, "global_f32", new Global(store, ValueKind.F32, WasmValue.FromSingle(666.6f), mutable: false));
        linker.Define(ModuleName, "global_f64", new Global(store, ValueKind.F64, WasmValue.FromDouble(666.6), mutable: false));
        linker.Define(ModuleName, "table", new Table(store, ValueKind.FuncRef, null, 10, 20));
        linker.Define(ModuleName, "memory", new Memory(store, 1, 2));
        return linker;
    }
}
