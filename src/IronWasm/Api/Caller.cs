namespace IronWasm;

/// <summary>Given to host functions that declare it as their first parameter: the store they run in,
/// and the exports of the instance that imported them (for reaching its memory).</summary>
public sealed class Caller
{
    internal Caller(Store store) => Store = store;

    public Store Store { get; }

    /// <summary>The store's host data.</summary>
    public object? Data => Store.Data;

    /// <summary>The instance that imported the host function; set once that instance exists.</summary>
    internal Instance? Instance { get; set; }

    /// <summary>The calling instance's exported memory <paramref name="name"/>, or null.</summary>
    public Memory? GetMemory(string name) => Instance?.GetMemory(name);

    /// <summary>The calling instance's exported function <paramref name="name"/>, or null.</summary>
    public Function? GetFunction(string name) => Instance?.GetFunction(name);

    public Global? GetGlobal(string name) => Instance?.GetGlobal(name);

    public Table? GetTable(string name) => Instance?.GetTable(name);

    /// <summary>The store's remaining fuel (see <see cref="Store.Fuel"/>).</summary>
    public long Fuel
    {
        get => Store.Fuel;
        set => Store.Fuel = value;
    }

    public void AddFuel(long fuel) => Store.AddFuel(fuel);
}

/// <summary>An untyped host function: reads <paramref name="arguments"/> and writes every element of
/// <paramref name="results"/> (pre-set to zero or null of each result type; a result of the wrong
/// kind makes the call trap with <see cref="TrapCode.HostError"/>).</summary>
public delegate void WasmCallback(Caller caller, ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results);
