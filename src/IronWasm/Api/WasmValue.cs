using System.Runtime.Intrinsics;
using IronWasm.Runtime;

namespace IronWasm;

/// <summary>One WebAssembly value of any type, for the untyped calling paths
/// (<see cref="Function.Invoke(ReadOnlySpan{WasmValue}, Span{WasmValue})"/>, <see cref="WasmCallback"/>,
/// globals). Numbers keep their exact bits: a float NaN's payload and sign survive the round trip.</summary>
public readonly struct WasmValue : IEquatable<WasmValue>
{
    // Numbers live in the low bits of _bits; references in _reference (a funcref is held as the
    // engine's internal function, converted to a Function only when asked).
    private readonly Vector128<byte> _bits;
    private readonly object? _reference;

    private WasmValue(ValueKind kind, Vector128<byte> bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _reference = reference;
    }

    /// <summary>The value's type. The default WasmValue has kind 0, which is no value type.</summary>
    public ValueKind Kind { get; }

    public static WasmValue FromInt32(int value) => new(ValueKind.I32, Vector128.CreateScalar(value).AsByte(), null);
    public static WasmValue FromInt64(long value) => new(ValueKind.I64, Vector128.CreateScalar(value).AsByte(), null);
    public static WasmValue FromSingle(float value) => FromSingleBits(BitConverter.SingleToUInt32Bits(value));
    public static WasmValue FromDouble(double value) => FromDoubleBits(BitConverter.DoubleToUInt64Bits(value));
    /// <summary>An f32 from its IEEE 754 bits (for exact NaN payloads).</summary>
    public static WasmValue FromSingleBits(uint bits) => new(ValueKind.F32, Vector128.CreateScalar(bits).AsByte(), null);
    /// <summary>An f64 from its IEEE 754 bits (for exact NaN payloads).</summary>
    public static WasmValue FromDoubleBits(ulong bits) => new(ValueKind.F64, Vector128.CreateScalar(bits).AsByte(), null);
    public static WasmValue FromVector(Vector128<byte> value) => new(ValueKind.V128, value, null);
    /// <summary>A funcref; null or <see cref="Function.Null"/> give the null reference.</summary>
    public static WasmValue FromFunction(Function? function) => new(ValueKind.FuncRef, default, function?.Instance);
    /// <summary>An externref holding any host object, or null.</summary>
    public static WasmValue FromExternRef(object? value) => new(ValueKind.ExternRef, default, value);
    /// <summary>The null reference of a reference type, or zero of a number or vector type.</summary>
    public static WasmValue Null(ValueKind kind) => kind switch
    {
        ValueKind.I32 or ValueKind.I64 or ValueKind.F32 or ValueKind.F64 or ValueKind.V128
            or ValueKind.FuncRef or ValueKind.ExternRef => new(kind, default, null),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a value type"),
    };

    /// <summary>Zero or null of <paramref name="kind"/> (the default of locals and tables).</summary>
    public static WasmValue Default(ValueKind kind) => Null(kind);

    public int AsInt32() { Expect(ValueKind.I32); return _bits.AsInt32().ToScalar(); }
    public long AsInt64() { Expect(ValueKind.I64); return _bits.AsInt64().ToScalar(); }
    public float AsSingle() { Expect(ValueKind.F32); return BitConverter.UInt32BitsToSingle(_bits.AsUInt32().ToScalar()); }
    public double AsDouble() { Expect(ValueKind.F64); return BitConverter.UInt64BitsToDouble(_bits.AsUInt64().ToScalar()); }
    public uint AsSingleBits() { Expect(ValueKind.F32); return _bits.AsUInt32().ToScalar(); }
    public ulong AsDoubleBits() { Expect(ValueKind.F64); return _bits.AsUInt64().ToScalar(); }
    public Vector128<byte> AsVector() { Expect(ValueKind.V128); return _bits; }
    /// <summary>The function of a funcref, or null for the null reference.</summary>
    public Function? AsFunction() { Expect(ValueKind.FuncRef); return Function.FromInternal(_reference); }
    /// <summary>The host object of an externref, or null.</summary>
    public object? AsExternRef() { Expect(ValueKind.ExternRef); return _reference; }
    /// <summary>True for a null funcref or externref.</summary>
    public bool IsNullReference => Kind is ValueKind.FuncRef or ValueKind.ExternRef && _reference is null;

    /// <summary>The value as a CLR object: int, long, float, double, Vector128&lt;byte&gt;, a
    /// <see cref="Function"/> or extern object, or null.</summary>
    public object? ToObject() => Kind switch
    {
        ValueKind.I32 => AsInt32(),
        ValueKind.I64 => AsInt64(),
        ValueKind.F32 => AsSingle(),
        ValueKind.F64 => AsDouble(),
        ValueKind.V128 => AsVector(),
        ValueKind.FuncRef => AsFunction(),
        ValueKind.ExternRef => _reference,
        _ => null,
    };

    /// <summary>Converts a CLR object (int, long, float, double, Vector128&lt;byte&gt;, Function, or
    /// for externref anything) to a value of <paramref name="kind"/>.</summary>
    public static WasmValue FromObject(ValueKind kind, object? value) => (kind, value) switch
    {
        (ValueKind.I32, int v) => FromInt32(v),
        (ValueKind.I32, uint v) => FromInt32((int)v),
        (ValueKind.I64, long v) => FromInt64(v),
        (ValueKind.I64, ulong v) => FromInt64((long)v),
        (ValueKind.I64, int v) => FromInt64(v),
        (ValueKind.F32, float v) => FromSingle(v),
        (ValueKind.F64, double v) => FromDouble(v),
        (ValueKind.F64, float v) => FromDouble(v),
        (ValueKind.V128, Vector128<byte> v) => FromVector(v),
        (ValueKind.FuncRef, null) => Null(ValueKind.FuncRef),
        (ValueKind.FuncRef, Function f) => FromFunction(f),
        (ValueKind.ExternRef, _) => FromExternRef(value),
        (ValueKind.I32 or ValueKind.I64 or ValueKind.F32 or ValueKind.F64 or ValueKind.V128 or ValueKind.FuncRef, _) =>
            throw new ArgumentException($"a {value?.GetType().Name ?? "null"} cannot be passed as {kind.ToText()}", nameof(value)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a value type"),
    };

    private void Expect(ValueKind kind)
    {
        if (Kind != kind) ThrowKindMismatch(kind);
    }

    private void ThrowKindMismatch(ValueKind kind) =>
        throw new InvalidOperationException($"the value is {(Kind == 0 ? "not initialized" : Kind.ToText())}, not {kind.ToText()}");

    public bool Equals(WasmValue other) =>
        Kind == other.Kind && _bits.Equals(other._bits) && ReferenceEquals(_reference, other._reference);

    public override bool Equals(object? obj) => obj is WasmValue other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _reference);
    public static bool operator ==(WasmValue left, WasmValue right) => left.Equals(right);
    public static bool operator !=(WasmValue left, WasmValue right) => !left.Equals(right);

    public override string ToString() => Kind switch
    {
        ValueKind.I32 => $"i32:{AsInt32()}",
        ValueKind.I64 => $"i64:{AsInt64()}",
        ValueKind.F32 => $"f32:{AsSingle()}",
        ValueKind.F64 => $"f64:{AsDouble()}",
        ValueKind.V128 => $"v128:{_bits}",
        ValueKind.FuncRef => _reference is FunctionInstance f ? $"funcref:{f.Name ?? f.Type.ToString()}" : "funcref:null",
        ValueKind.ExternRef => $"externref:{_reference ?? "null"}",
        _ => "(none)",
    };

    // Unchecked conversions for the generated trampolines and adapters, in the engine's internal
    // representation (funcref = FunctionInstance or null).
    internal static WasmValue FromInternal(ValueKind kind, object? reference) => new(kind, default, reference);
    internal static WasmValue FromInternalFuncRef(object? reference) => new(ValueKind.FuncRef, default, reference);
    internal static int GetInt32(in WasmValue value) => value._bits.AsInt32().ToScalar();
    internal static long GetInt64(in WasmValue value) => value._bits.AsInt64().ToScalar();
    internal static float GetSingle(in WasmValue value) => BitConverter.UInt32BitsToSingle(value._bits.AsUInt32().ToScalar());
    internal static double GetDouble(in WasmValue value) => BitConverter.UInt64BitsToDouble(value._bits.AsUInt64().ToScalar());
    internal static Vector128<byte> GetVector(in WasmValue value) => value._bits;
    internal static object? GetReference(in WasmValue value) => value._reference;
    internal object? InternalReference => _reference;
}
