namespace IronWasm;

// Typed host functions: a Func/Action with 0 to 8 Wasm parameters, each with and without a leading
// Caller. Types map as in Instance (int, long, float, double, Vector128<byte>, Function for funcref,
// object for externref, a ValueTuple for several results). A callback without a Caller whose shape is
// already the engine's is called directly by guests; others through one small generated adapter.
public sealed partial class Linker
{
    public Linker DefineFunction<TResult>(string module, string name, Func<TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<TResult>(string module, string name, Func<Caller, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction(string module, string name, Action callback) => DefineHost(module, name, callback);
    public Linker DefineFunction(string module, string name, Action<Caller> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, TResult>(string module, string name, Func<T1, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, TResult>(string module, string name, Func<Caller, T1, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1>(string module, string name, Action<T1> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1>(string module, string name, Action<Caller, T1> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, TResult>(string module, string name, Func<T1, T2, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, TResult>(string module, string name, Func<Caller, T1, T2, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2>(string module, string name, Action<T1, T2> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2>(string module, string name, Action<Caller, T1, T2> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, TResult>(string module, string name, Func<T1, T2, T3, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, TResult>(string module, string name, Func<Caller, T1, T2, T3, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3>(string module, string name, Action<T1, T2, T3> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3>(string module, string name, Action<Caller, T1, T2, T3> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, TResult>(string module, string name, Func<T1, T2, T3, T4, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, TResult>(string module, string name, Func<Caller, T1, T2, T3, T4, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4>(string module, string name, Action<T1, T2, T3, T4> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4>(string module, string name, Action<Caller, T1, T2, T3, T4> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, TResult>(string module, string name, Func<T1, T2, T3, T4, T5, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, TResult>(string module, string name, Func<Caller, T1, T2, T3, T4, T5, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5>(string module, string name, Action<T1, T2, T3, T4, T5> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5>(string module, string name, Action<Caller, T1, T2, T3, T4, T5> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6, TResult>(string module, string name, Func<T1, T2, T3, T4, T5, T6, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6, TResult>(string module, string name, Func<Caller, T1, T2, T3, T4, T5, T6, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6>(string module, string name, Action<T1, T2, T3, T4, T5, T6> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6>(string module, string name, Action<Caller, T1, T2, T3, T4, T5, T6> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6, T7, TResult>(string module, string name, Func<T1, T2, T3, T4, T5, T6, T7, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6, T7, TResult>(string module, string name, Func<Caller, T1, T2, T3, T4, T5, T6, T7, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6, T7>(string module, string name, Action<T1, T2, T3, T4, T5, T6, T7> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6, T7>(string module, string name, Action<Caller, T1, T2, T3, T4, T5, T6, T7> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(string module, string name, Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(string module, string name, Func<Caller, T1, T2, T3, T4, T5, T6, T7, T8, TResult> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6, T7, T8>(string module, string name, Action<T1, T2, T3, T4, T5, T6, T7, T8> callback) => DefineHost(module, name, callback);
    public Linker DefineFunction<T1, T2, T3, T4, T5, T6, T7, T8>(string module, string name, Action<Caller, T1, T2, T3, T4, T5, T6, T7, T8> callback) => DefineHost(module, name, callback);
}
