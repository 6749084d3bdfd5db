namespace IronWasm.SpecTests;

/// <summary>The "spectest" host module every spec script may import: print functions that do
/// nothing, globals holding 666, a 10..20 funcref table and a 1..2 page memory.</summary>
internal static class SpectestModule
{
    public static void Define(Linker linker, Store store)
    {
        const string M = "spectest";
        linker.DefineFunction(M, "print", () => { });
        linker.DefineFunction(M, "print_i32", (int _) => { });
        linker.DefineFunction(M, "print_i64", (long _) => { });
        linker.DefineFunction(M, "print_f32", (float _) => { });
        linker.DefineFunction(M, "print_f64", (double _) => { });
        linker.DefineFunction(M, "print_i32_f32", (int _, float _) => { });
        linker.DefineFunction(M, "print_f64_f64", (double _, double _) => { });
        linker.Define(M, "global_i32", new Global(store, ValueKind.I32, WasmValue.FromInt32(666), mutable: false));
        linker.Define(M, "global_i64", new Global(store, ValueKind.I64, WasmValue.FromInt64(666), mutable: false));
        linker.Define(M, "global_f32", new Global(store, ValueKind.F32, WasmValue.FromSingle(666.6f), mutable: false));
        linker.Define(M, "global_f64", new Global(store, ValueKind.F64, WasmValue.FromDouble(666.6), mutable: false));
        linker.Define(M, "table", new Table(store, ValueKind.FuncRef, null, 10, 20));
        linker.Define(M, "memory", new Memory(store, 1, 2));
    }
}
