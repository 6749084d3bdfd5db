using IronWasm.Components.CanonicalAbi;

namespace IronWasm.Components.Tests.Robustness;

/// <summary>What a test hands the lifting code on one attempt, in equal parts: arbitrary data
/// (<see cref="ArbitraryGuestData"/>), a well-formed value (<see cref="WellFormedValues"/>), or a
/// well-formed value with a few words corrupted. Guest memory is laid out as: the window arbitrary
/// pointers mostly point into (below 16 KiB), the region of well-formed values (16 to 56 KiB), the
/// return areas (56 to 64 KiB); the guests' allocators may use the rest.</summary>
internal sealed class FuzzInputs
{
    private const uint RegionStart = 16 * 1024, RegionEnd = 56 * 1024, ReturnAreas = 56 * 1024;

    private readonly ArbitraryGuestData _data;
    private readonly Func<Memory> _memory;
    private readonly WellFormedValues _values;

    public FuzzInputs(ArbitraryGuestData data, StringEncoding encoding, Func<Memory> memory, Func<int> handle)
    {
        _data = data;
        _memory = memory;
        _values = new WellFormedValues(data, encoding, RegionStart, RegionEnd, handle);
    }

    private Span<byte> Memory => _memory().GetSpan();

    /// <summary>New contents of the window every 32 attempts, a few changed words in between.</summary>
    public void Scramble(int attempt)
    {
        var memory = Memory;
        var window = memory[..Math.Min(memory.Length, ArbitraryGuestData.Window)];
        if (attempt % 32 == 0) _data.Fill(window, memory.Length);
        else _data.Mutate(window, memory.Length, 8);
    }

    private int Mode() => _data.Random.Next(3);   // 0 arbitrary, 1 well-formed, 2 corrupted

    /// <summary>The core arguments of an import of <paramref name="function"/>; when results go to a
    /// return area, it is usually a usable one, so lowering runs after a successful lift.</summary>
    public WasmValue[] ImportArguments(FunctionLayout function)
    {
        var type = function.LowerType;
        int mode = Mode();
        var arguments = mode == 0 ? _data.Arguments(type, Memory.Length) : new WasmValue[type.Parameters.Count];
        int parameters = type.Parameters.Count - (function.ResultsInMemory ? 1 : 0);
        if (mode != 0)
        {
            _values.Reset();
            var m = Memory;
            var tuple = function.ParameterTuple;
            if (function.ParametersInMemory)
            {
                uint ptr = _values.Allocate(tuple.Size, tuple.Alignment);
                _values.Store(m, tuple, ptr);
                arguments[0] = WasmValue.FromInt32((int)ptr);
            }
            else
            {
                int position = 0;
                _values.WriteFlat(m, tuple, arguments, ref position);
            }
            if (mode == 2) _values.Corrupt(m, arguments.AsSpan(0, parameters));
        }
        if (function.ResultsInMemory) arguments[^1] = _data.Random.Next(4) == 0 ? _data.Flat(ValueKind.I32, Memory.Length) : ReturnArea();
        return arguments;
    }

    /// <summary>An 8-aligned return area below 64 KiB.</summary>
    public WasmValue ReturnArea() => WasmValue.FromInt32((int)(ReturnAreas + 8 * (uint)_data.Random.Next(1000)));

    /// <summary>What an export of <paramref name="function"/> returns: the pointer to its results
    /// in memory, or its one flat result.</summary>
    public WasmValue ExportResult(FunctionLayout function)
    {
        var kind = function.LiftType.Results.Single();
        int mode = Mode();
        if (mode == 0) return _data.Flat(kind, Memory.Length);
        _values.Reset();
        var m = Memory;
        var result = new WasmValue[1];
        if (function.ResultsInMemory)
        {
            var tuple = function.ResultTuple;
            uint ptr = _values.Allocate(tuple.Size, tuple.Alignment);
            _values.Store(m, tuple, ptr);
            result[0] = WasmValue.FromInt32((int)ptr);
        }
        else
        {
            int position = 0;
            _values.WriteFlat(m, function.ResultTuple, result, ref position);
        }
        if (mode == 2) _values.Corrupt(m, function.ResultsInMemory ? [] : result);
        return result[0];
    }

    /// <summary>A pointer to a value of <paramref name="layout"/> in memory.</summary>
    public uint Stored(CanonicalLayout layout)
    {
        int mode = Mode();
        if (mode == 0) return _data.Word(Memory.Length);
        _values.Reset();
        uint ptr = _values.Allocate(layout.Size, layout.Alignment);
        _values.Store(Memory, layout, ptr);
        if (mode == 2) _values.Corrupt(Memory, []);
        return ptr;
    }

    /// <summary>A value of <paramref name="layout"/> as flat core values.</summary>
    public WasmValue[] Flat(CanonicalLayout layout)
    {
        int mode = Mode();
        if (mode == 0) return layout.FlatTypes.Select(k => _data.Flat(k, Memory.Length)).ToArray();
        _values.Reset();
        var flat = new WasmValue[layout.FlatTypes.Count];
        int position = 0;
        _values.WriteFlat(Memory, layout, flat, ref position);
        if (mode == 2) _values.Corrupt(Memory, flat);
        return flat;
    }
}
