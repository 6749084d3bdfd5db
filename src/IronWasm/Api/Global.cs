using IronWasm.Runtime;

namespace IronWasm;

/// <summary>A global variable: a value of one type, mutable or not.</summary>
public sealed class Global
{
    internal Global(GlobalInstance instance) => Instance = instance;

    /// <summary>A new global of <paramref name="kind"/> holding <paramref name="initial"/> (which must be of that kind).</summary>
    public Global(Store store, ValueKind kind, WasmValue initial, bool mutable)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (initial.Kind != kind) throw new ArgumentException($"the initial value is {initial.Kind.ToText()}, not {kind.ToText()}", nameof(initial));
        Instance = new GlobalInstance { Type = new GlobalType(kind, mutable), Wrapper = this };
        Write(Instance, initial);
    }

    internal static Global Wrap(GlobalInstance instance) => instance.Wrapper ??= new Global(instance);

    internal GlobalInstance Instance { get; }

    public GlobalType Type => Instance.Type;
    public ValueKind Kind => Instance.Type.ValueKind;
    public bool Mutable => Instance.Type.Mutable;

    public WasmValue GetValue() => Read(Instance);

    /// <summary>Sets the value; throws for an immutable global or a value of another kind.</summary>
    public void SetValue(WasmValue value)
    {
        if (!Mutable) throw new InvalidOperationException("the global is immutable");
        if (value.Kind != Kind) throw new ArgumentException($"the value is {value.Kind.ToText()}, the global holds {Kind.ToText()}", nameof(value));
        Write(Instance, value);
    }

    internal static WasmValue Read(GlobalInstance global) => global.Type.ValueKind switch
    {
        ValueKind.I32 => WasmValue.FromInt32((int)global.Bits),
        ValueKind.I64 => WasmValue.FromInt64((long)global.Bits),
        ValueKind.F32 => WasmValue.FromSingleBits((uint)global.Bits),
        ValueKind.F64 => WasmValue.FromDoubleBits(global.Bits),
        ValueKind.V128 => WasmValue.FromVector(global.Vector),
        var kind => WasmValue.FromInternal(kind, global.Reference),
    };

    internal static void Write(GlobalInstance global, WasmValue value)
    {
        switch (value.Kind)
        {
            case ValueKind.I32: global.Bits = (uint)WasmValue.GetInt32(value); break;
            case ValueKind.I64:
            case ValueKind.F64: global.Bits = (ulong)WasmValue.GetInt64(value); break;
            case ValueKind.F32: global.Bits = (uint)WasmValue.GetInt32(value); break;
            case ValueKind.V128: global.Vector = WasmValue.GetVector(value); break;
            default: global.Reference = WasmValue.GetReference(value); break;
        }
    }
}
