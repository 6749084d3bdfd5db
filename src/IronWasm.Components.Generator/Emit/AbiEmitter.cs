using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Generator.Emit;

/// <summary>Writes the code that lifts and lowers values of WIT types, from the layouts
/// <see cref="CanonicalLayout"/> computes (sizes, alignments, offsets, discriminant sizes, flat
/// types), so the generated code and the dynamic path share one reading of the canonical ABI.
/// Lifting is expressions (guest memory cannot move while the host reads it); lowering is
/// statements that take the memory span afresh for every write, because cabi_realloc may move it.
/// The generated code names the call <c>call</c> (a HostCall) and the memory span <c>m</c>.</summary>
internal sealed class AbiEmitter(BindingModel model)
{
    private const string HC = BindingModel.HostCall;

    private readonly Dictionary<string, string> _helperNames = new(StringComparer.Ordinal);
    private readonly Dictionary<WitMapType, WitTupleType> _mapEntries = new();
    private int _temp;

    /// <summary>Methods for the Abi class of the container being written: list loaders and storers.</summary>
    public List<string> Helpers { get; } = new();

    public string Temp(string prefix) => prefix + _temp++;

    public static string At(string ptr, int offset) => offset == 0 ? ptr : $"{ptr} + {offset}u";

    // ---- lifting from memory ----

    /// <summary>An expression loading a value of <paramref name="type"/> at <paramref name="ptr"/>
    /// (a uint expression) from <c>m</c>; the range was checked by whoever produced the pointer.</summary>
    public string Load(WitType type, string ptr, bool parameter = false)
    {
        var t = BindingModel.Unalias(type);
        var layout = CanonicalLayout.Of(t);
        switch (t)
        {
            case WitPrimitiveType p:
                return LoadPrimitive(p.Kind, ptr);
            case WitListType { Length: null } list:
            {
                string address = $"{HC}.ReadU32(m, {ptr})", length = $"{HC}.ReadU32(m, {At(ptr, 4)})";
                if (parameter && BindingModel.IsInteger(list.Element))
                    return $"{HC}.LiftSpan<{model.Cs(list.Element)}>(m, {address}, {length})";
                return $"{ListLoader(list.Element, model.Cs(list.Element))}(in call, m, {address}, {length})";
            }
            case WitListType list:
                return $"{FixedLoader(list.Element, checked((int)list.Length!.Value))}(in call, m, {ptr})";
            case WitMapType map:
                return $"{ListLoader(MapEntry(map), MapEntryCs(map))}(in call, m, {HC}.ReadU32(m, {ptr}), {HC}.ReadU32(m, {At(ptr, 4)}))";
            case WitOptionType option:
            {
                var cs = model.Cs(t);
                return $"({Discriminant(layout.DiscriminantSize, ptr)} switch {{ 0u => {cs}.None, 1u => {cs}.Some({Load(option.Some, At(ptr, layout.PayloadOffset))}), var d => {HC}.InvalidDiscriminant<{cs}>(d, 2u) }})";
            }
            case WitResultType result:
            {
                var cs = model.Cs(t);
                var ok = result.Ok is null ? "default" : Load(result.Ok, At(ptr, layout.PayloadOffset));
                var err = result.Err is null ? "default" : Load(result.Err, At(ptr, layout.PayloadOffset));
                return $"({Discriminant(layout.DiscriminantSize, ptr)} switch {{ 0u => {cs}.Ok({ok}), 1u => {cs}.Err({err}), var d => {HC}.InvalidDiscriminant<{cs}>(d, 2u) }})";
            }
            case WitTupleType tuple:
            {
                var elements = tuple.Types.Select((x, i) => Load(x, At(ptr, layout.Offsets[i]))).ToList();
                return tuple.Types.Count == 1 ? $"new {model.Cs(t)}({elements[0]})" : $"({string.Join(", ", elements)})";
            }
            case WitNamedType named:
            {
                var info = model.Named(named);
                return named.Definition switch
                {
                    WitRecordType or WitVariantType => $"{info.AbiFullName}.Load{info.Name}(in call, m, {ptr})",
                    WitEnumType e => $"({info.FullName}){HC}.CheckCase({Discriminant(layout.DiscriminantSize, ptr)}, {e.Cases.Count}u)",
                    WitFlagsType f => $"({info.FullName})({Discriminant(layout.Size, ptr)} & {FlagMask(f)}u)",
                    _ => throw new InvalidOperationException($"`{named.Name}` is not a value type"),
                };
            }
            case WitOwnType own:
                return $"call.LiftOwn({model.Named(own.ResourceType).DescriptorFullName}, (int){HC}.ReadU32(m, {ptr}))";
            case WitBorrowType borrow:
                return $"call.LiftBorrow({model.Named(borrow.ResourceType).DescriptorFullName}, (int){HC}.ReadU32(m, {ptr}))";
            default:
                throw new NotSupportedException($"{type} cannot be lifted by host bindings");
        }
    }

    private static string LoadPrimitive(WitPrimitiveKind kind, string ptr) => kind switch
    {
        WitPrimitiveKind.Bool => $"({HC}.ReadU8(m, {ptr}) != 0)",
        WitPrimitiveKind.S8 => $"(sbyte){HC}.ReadU8(m, {ptr})",
        WitPrimitiveKind.U8 => $"{HC}.ReadU8(m, {ptr})",
        WitPrimitiveKind.S16 => $"(short){HC}.ReadU16(m, {ptr})",
        WitPrimitiveKind.U16 => $"{HC}.ReadU16(m, {ptr})",
        WitPrimitiveKind.S32 => $"(int){HC}.ReadU32(m, {ptr})",
        WitPrimitiveKind.U32 => $"{HC}.ReadU32(m, {ptr})",
        WitPrimitiveKind.S64 => $"(long){HC}.ReadU64(m, {ptr})",
        WitPrimitiveKind.U64 => $"{HC}.ReadU64(m, {ptr})",
        WitPrimitiveKind.F32 => $"{HC}.ReadF32(m, {ptr})",
        WitPrimitiveKind.F64 => $"{HC}.ReadF64(m, {ptr})",
        WitPrimitiveKind.Char => $"{HC}.LiftChar({HC}.ReadU32(m, {ptr}))",
        _ => $"call.LiftString(m, {HC}.ReadU32(m, {ptr}), {HC}.ReadU32(m, {At(ptr, 4)}))",
    };

    private static string Discriminant(int size, string ptr) => size switch
    {
        1 => $"(uint){HC}.ReadU8(m, {ptr})",
        2 => $"(uint){HC}.ReadU16(m, {ptr})",
        _ => $"{HC}.ReadU32(m, {ptr})",
    };

    private static uint FlagMask(WitFlagsType flags) => flags.Flags.Count >= 32 ? uint.MaxValue : (1u << flags.Flags.Count) - 1;

    private WitTupleType MapEntry(WitMapType map)
    {
        if (!_mapEntries.TryGetValue(map, out var entry)) _mapEntries[map] = entry = new WitTupleType([map.Key, map.Value]);
        return entry;
    }

    private string MapEntryCs(WitMapType map) => $"({model.Cs(map.Key)} Key, {model.Cs(map.Value)} Value)";

    /// <summary>A helper loading a list (checked: size limit, alignment, bounds) into an array.</summary>
    private string ListLoader(WitType element, string cs) => Helper("load-list " + cs, "LoadList_", name =>
    {
        var layout = CanonicalLayout.Of(element);
        var w = new CodeWriter();
        w.Open($"internal static {cs}[] {name}(in {HC} call, global::System.ReadOnlySpan<byte> m, uint ptr, uint length)");
        if (BindingModel.IsInteger(element))
        {
            w.Line($"return {HC}.LiftSpan<{cs}>(m, ptr, length).ToArray();");
        }
        else
        {
            w.Line($"{HC}.CheckList(m, ptr, length, {layout.Size}, {layout.Alignment});");
            w.Line($"if (length == 0) return global::System.Array.Empty<{cs}>();");
            w.Line($"var values = {NewArray(cs, "length")};");
            w.Line($"for (uint i = 0; i < length; i++) values[i] = {Load(element, $"ptr + i * {layout.Size}u")};");
            w.Line("return values;");
        }
        w.Close();
        return w;
    });

    /// <summary>A helper loading a fixed-length list that lies inside an already checked value.</summary>
    private string FixedLoader(WitType element, int length)
    {
        var cs = model.Cs(element);
        return Helper($"load-fixed {cs} {length}", "LoadFixed_", name =>
        {
            var layout = CanonicalLayout.Of(element);
            var w = new CodeWriter();
            w.Open($"internal static {cs}[] {name}(in {HC} call, global::System.ReadOnlySpan<byte> m, uint ptr)");
            w.Line($"var values = {NewArray(cs, length.ToString())};");
            w.Line($"for (uint i = 0; i < {length}u; i++) values[i] = {Load(element, $"ptr + i * {layout.Size}u")};");
            w.Line("return values;");
            w.Close();
            return w;
        });
    }

    // ---- lifting from flat values ----

    /// <summary>An expression lifting a value of <paramref name="type"/> from flat core values
    /// (expressions whose types are exactly the layout's flat types).</summary>
    public string LiftFlat(WitType type, IReadOnlyList<string> slots, bool parameter = false)
    {
        var t = BindingModel.Unalias(type);
        var layout = CanonicalLayout.Of(t);
        switch (t)
        {
            case WitPrimitiveType p:
                return LiftPrimitive(p.Kind, slots);
            case WitListType { Length: null } list:
                if (parameter && BindingModel.IsInteger(list.Element))
                    return $"{HC}.LiftSpan<{model.Cs(list.Element)}>(call.Memory, (uint){slots[0]}, (uint){slots[1]})";
                return $"{ListLoader(list.Element, model.Cs(list.Element))}(in call, call.Memory, (uint){slots[0]}, (uint){slots[1]})";
            case WitListType list:
            {
                var element = CanonicalLayout.Of(list.Element);
                int width = element.FlatTypes.Count;
                var items = Enumerable.Range(0, (int)list.Length!.Value).Select(i => LiftFlat(list.Element, Slice(slots, i * width, width)));
                return $"new {model.Cs(t)} {{ {string.Join(", ", items)} }}";
            }
            case WitMapType map:
                return $"{ListLoader(MapEntry(map), MapEntryCs(map))}(in call, call.Memory, (uint){slots[0]}, (uint){slots[1]})";
            case WitOptionType option:
            {
                var cs = model.Cs(t);
                return $"((uint){slots[0]} switch {{ 0u => {cs}.None, 1u => {cs}.Some({LiftCase(layout, slots, option.Some)}), var d => {HC}.InvalidDiscriminant<{cs}>(d, 2u) }})";
            }
            case WitResultType result:
            {
                var cs = model.Cs(t);
                var ok = result.Ok is null ? "default" : LiftCase(layout, slots, result.Ok);
                var err = result.Err is null ? "default" : LiftCase(layout, slots, result.Err);
                return $"((uint){slots[0]} switch {{ 0u => {cs}.Ok({ok}), 1u => {cs}.Err({err}), var d => {HC}.InvalidDiscriminant<{cs}>(d, 2u) }})";
            }
            case WitTupleType tuple:
            {
                var elements = new List<string>();
                int position = 0;
                foreach (var element in tuple.Types)
                {
                    int width = CanonicalLayout.Of(element).FlatTypes.Count;
                    elements.Add(LiftFlat(element, Slice(slots, position, width)));
                    position += width;
                }
                return tuple.Types.Count == 1 ? $"new {model.Cs(t)}({elements[0]})" : $"({string.Join(", ", elements)})";
            }
            case WitNamedType named:
            {
                var info = model.Named(named);
                return named.Definition switch
                {
                    WitRecordType or WitVariantType => $"{info.AbiFullName}.Lift{info.Name}(in call, {string.Join(", ", slots)})",
                    WitEnumType e => $"({info.FullName}){HC}.CheckCase((uint){slots[0]}, {e.Cases.Count}u)",
                    WitFlagsType f => $"({info.FullName})((uint){slots[0]} & {FlagMask(f)}u)",
                    _ => throw new InvalidOperationException($"`{named.Name}` is not a value type"),
                };
            }
            case WitOwnType own:
                return $"call.LiftOwn({model.Named(own.ResourceType).DescriptorFullName}, {slots[0]})";
            case WitBorrowType borrow:
                return $"call.LiftBorrow({model.Named(borrow.ResourceType).DescriptorFullName}, {slots[0]})";
            default:
                throw new NotSupportedException($"{type} cannot be lifted by host bindings");
        }
    }

    private static string LiftPrimitive(WitPrimitiveKind kind, IReadOnlyList<string> s) => kind switch
    {
        WitPrimitiveKind.Bool => $"({s[0]} != 0)",
        WitPrimitiveKind.S8 => $"(sbyte){s[0]}",
        WitPrimitiveKind.U8 => $"(byte){s[0]}",
        WitPrimitiveKind.S16 => $"(short){s[0]}",
        WitPrimitiveKind.U16 => $"(ushort){s[0]}",
        WitPrimitiveKind.S32 => s[0],
        WitPrimitiveKind.U32 => $"(uint){s[0]}",
        WitPrimitiveKind.S64 => s[0],
        WitPrimitiveKind.U64 => $"(ulong){s[0]}",
        WitPrimitiveKind.F32 => $"{HC}.LiftF32({s[0]})",
        WitPrimitiveKind.F64 => $"{HC}.LiftF64({s[0]})",
        WitPrimitiveKind.Char => $"{HC}.LiftChar((uint){s[0]})",
        _ => $"call.LiftString(call.Memory, (uint){s[0]}, (uint){s[1]})",
    };

    /// <summary>Lifts a case's payload from a variant's slots, viewing the
    /// joined slot types as the payload's own (CanonicalABI.md's lift_flat_variant coercions).</summary>
    public string LiftCase(CanonicalLayout variant, IReadOnlyList<string> slots, WitType payload)
    {
        var want = CanonicalLayout.Of(payload).FlatTypes;
        var have = variant.FlatTypes;
        var coerced = want.Select((kind, i) => Coerce(slots[1 + i], have[1 + i], kind)).ToList();
        return LiftFlat(payload, coerced);
    }

    private static string Coerce(string slot, ValueKind have, ValueKind want) => (have, want) switch
    {
        _ when have == want => slot,
        (ValueKind.I32, ValueKind.F32) => $"global::System.BitConverter.Int32BitsToSingle({slot})",
        (ValueKind.I64, ValueKind.I32) => $"(int)({slot})",
        (ValueKind.I64, ValueKind.F32) => $"global::System.BitConverter.Int32BitsToSingle((int)({slot}))",
        (ValueKind.I64, ValueKind.F64) => $"global::System.BitConverter.Int64BitsToDouble({slot})",
        _ => throw new InvalidOperationException($"no coercion from {have} to {want}"),
    };

    private static IReadOnlyList<string> Slice(IReadOnlyList<string> slots, int start, int count) => slots.Skip(start).Take(count).ToList();

    // ---- lowering into memory ----

    /// <summary>Statements storing <paramref name="value"/> (an expression of the type's C# type)
    /// at <paramref name="ptr"/>, which lies in a checked return area or a fresh allocation.</summary>
    public void Store(CodeWriter w, WitType type, string value, string ptr)
    {
        var t = BindingModel.Unalias(type);
        var layout = CanonicalLayout.Of(t);
        switch (t)
        {
            case WitPrimitiveType p:
                StorePrimitive(w, p.Kind, value, ptr);
                return;
            case WitListType { Length: null } list:
            {
                var l = Temp("list");
                w.Line($"var {l} = {ListStorer(list.Element, model.Cs(list.Element))}(in call, {value});");
                w.Line($"call.WritePair({ptr}, {l}.Ptr, {l}.Length);");
                return;
            }
            case WitListType list:
                w.Line($"{FixedStorer(list.Element, checked((int)list.Length!.Value))}(in call, {value}, {ptr});");
                return;
            case WitMapType map:
            {
                var l = Temp("map");
                w.Line($"var {l} = {ListStorer(MapEntry(map), MapEntryCs(map))}(in call, {value});");
                w.Line($"call.WritePair({ptr}, {l}.Ptr, {l}.Length);");
                return;
            }
            case WitOptionType option:
            {
                var o = Local(w, "option", value);
                w.Open($"if ({o}.HasValue)");
                WriteUnsigned(w, layout.DiscriminantSize, ptr, "1u");
                Store(w, option.Some, $"{o}.Value", At(ptr, layout.PayloadOffset));
                w.Close();
                w.Line($"else {WriteUnsignedText(layout.DiscriminantSize, ptr, "0u")}");
                return;
            }
            case WitResultType result:
            {
                var r = Local(w, "result", value);
                w.Open($"if ({r}.IsOk)");
                WriteUnsigned(w, layout.DiscriminantSize, ptr, "0u");
                if (result.Ok is not null) Store(w, result.Ok, $"{r}.Value", At(ptr, layout.PayloadOffset));
                w.Close();
                w.Open("else");
                WriteUnsigned(w, layout.DiscriminantSize, ptr, "1u");
                if (result.Err is not null) Store(w, result.Err, $"{r}.Error", At(ptr, layout.PayloadOffset));
                w.Close();
                return;
            }
            case WitTupleType tuple:
            {
                var v = Local(w, "tuple", value);
                for (int i = 0; i < tuple.Types.Count; i++) Store(w, tuple.Types[i], $"{v}.Item{i + 1}", At(ptr, layout.Offsets[i]));
                return;
            }
            case WitNamedType named:
            {
                var info = model.Named(named);
                switch (named.Definition)
                {
                    case WitRecordType or WitVariantType:
                        w.Line($"{info.AbiFullName}.Store{info.Name}(in call, {value}, {ptr});");
                        return;
                    case WitEnumType e:
                        WriteUnsigned(w, layout.DiscriminantSize, ptr, $"{HC}.CheckEnum((uint){value}, {e.Cases.Count}u, {Naming.Literal(named.Name)})");
                        return;
                    case WitFlagsType f:
                        WriteUnsigned(w, layout.Size, ptr, $"{HC}.CheckFlags((uint){value}, {FlagMask(f)}u, {Naming.Literal(named.Name)})");
                        return;
                }
                throw new InvalidOperationException($"`{named.Name}` is not a value type");
            }
            case WitOwnType own:
                w.Line($"call.WriteU32({ptr}, (uint)call.LowerOwn({model.Named(own.ResourceType).DescriptorFullName}, {value}));");
                return;
            default:
                throw new NotSupportedException($"{type} cannot be returned to a guest (a borrow handle is only lent to a call, never returned)");
        }
    }

    private void StorePrimitive(CodeWriter w, WitPrimitiveKind kind, string value, string ptr)
    {
        switch (kind)
        {
            case WitPrimitiveKind.Bool: w.Line($"call.WriteU8({ptr}, (byte)({value} ? 1 : 0));"); break;
            case WitPrimitiveKind.S8: w.Line($"call.WriteU8({ptr}, (byte){value});"); break;
            case WitPrimitiveKind.U8: w.Line($"call.WriteU8({ptr}, {value});"); break;
            case WitPrimitiveKind.S16: w.Line($"call.WriteU16({ptr}, (ushort){value});"); break;
            case WitPrimitiveKind.U16: w.Line($"call.WriteU16({ptr}, {value});"); break;
            case WitPrimitiveKind.S32: w.Line($"call.WriteU32({ptr}, (uint){value});"); break;
            case WitPrimitiveKind.U32: w.Line($"call.WriteU32({ptr}, {value});"); break;
            case WitPrimitiveKind.S64: w.Line($"call.WriteU64({ptr}, (ulong){value});"); break;
            case WitPrimitiveKind.U64: w.Line($"call.WriteU64({ptr}, {value});"); break;
            case WitPrimitiveKind.F32: w.Line($"call.WriteF32({ptr}, {value});"); break;
            case WitPrimitiveKind.F64: w.Line($"call.WriteF64({ptr}, {value});"); break;
            case WitPrimitiveKind.Char: w.Line($"call.WriteU32({ptr}, (uint){value}.Value);"); break;
            default:
                var text = Temp("text");
                w.Line($"var {text} = call.LowerString({value});");
                w.Line($"call.WritePair({ptr}, {text}.Ptr, {text}.TaggedCodeUnits);");
                break;
        }
    }

    private static void WriteUnsigned(CodeWriter w, int size, string ptr, string value) => w.Line(WriteUnsignedText(size, ptr, value));

    private static string WriteUnsignedText(int size, string ptr, string value) => size switch
    {
        1 => $"call.WriteU8({ptr}, (byte)({value}));",
        2 => $"call.WriteU16({ptr}, (ushort)({value}));",
        _ => $"call.WriteU32({ptr}, {value});",
    };

    /// <summary>A helper storing an array as a list in a cabi_realloc allocation.</summary>
    private string ListStorer(WitType element, string cs) => Helper("store-list " + cs, "StoreList_", name =>
    {
        var layout = CanonicalLayout.Of(element);
        var w = new CodeWriter();
        w.Open($"internal static (uint Ptr, uint Length) {name}(in {HC} call, {cs}[] values)");
        w.Line($"{HC}.NotNull(values, \"list\");");
        if (BindingModel.IsInteger(element))
        {
            w.Line($"return (call.LowerSpan<{cs}>(values), (uint)values.Length);");
        }
        else
        {
            w.Line($"uint ptr = call.Allocate((long)values.Length * {layout.Size}, {layout.Alignment});");
            w.Open("for (int i = 0; i < values.Length; i++)");
            Store(w, element, "values[i]", $"ptr + (uint)i * {layout.Size}u");
            w.Close();
            w.Line("return (ptr, (uint)values.Length);");
        }
        w.Close();
        return w;
    });

    private string FixedStorer(WitType element, int length)
    {
        var cs = model.Cs(element);
        return Helper($"store-fixed {cs} {length}", "StoreFixed_", name =>
        {
            var layout = CanonicalLayout.Of(element);
            var w = new CodeWriter();
            w.Open($"internal static void {name}(in {HC} call, {cs}[] values, uint ptr)");
            w.Line($"{HC}.CheckLength(values, {length});");
            w.Open("for (int i = 0; i < values.Length; i++)");
            Store(w, element, "values[i]", $"ptr + (uint)i * {layout.Size}u");
            w.Close();
            w.Close();
            return w;
        });
    }

    // ---- lowering to one flat value ----

    /// <summary>An expression lowering a value whose type flattens to exactly one core value (the
    /// only results returned flat).</summary>
    public string LowerFlat1(WitType type, string value)
    {
        var t = BindingModel.Unalias(type);
        switch (t)
        {
            case WitPrimitiveType p:
                return p.Kind switch
                {
                    WitPrimitiveKind.Bool => $"({value} ? 1 : 0)",
                    WitPrimitiveKind.S8 or WitPrimitiveKind.U8 or WitPrimitiveKind.S16 or WitPrimitiveKind.U16 or WitPrimitiveKind.U32 => $"(int){value}",
                    WitPrimitiveKind.U64 => $"(long){value}",
                    WitPrimitiveKind.Char => $"{value}.Value",
                    _ => value,
                };
            case WitNamedType named:
            {
                var info = model.Named(named);
                switch (named.Definition)
                {
                    case WitEnumType e: return $"(int){HC}.CheckEnum((uint){value}, {e.Cases.Count}u, {Naming.Literal(named.Name)})";
                    case WitFlagsType f: return $"(int){HC}.CheckFlags((uint){value}, {FlagMask(f)}u, {Naming.Literal(named.Name)})";
                    case WitVariantType: return $"(int){value}.Tag";
                    case WitRecordType record: return LowerFlat1(record.Fields[0].Type, $"{value}.{model.RecordFields(named)[0]}");
                }
                throw new InvalidOperationException($"`{info.Name}` is not a value type");
            }
            case WitTupleType tuple:
                return LowerFlat1(tuple.Types[0], $"{value}.Item1");
            case WitResultType:
                return $"({value}.IsOk ? 0 : 1)";
            case WitListType { Length: 1 } list:
                return LowerFlat1(list.Element, $"{HC}.CheckLength({value}, 1)[0]");
            case WitOwnType own:
                return $"call.LowerOwn({model.Named(own.ResourceType).DescriptorFullName}, {value})";
            default:
                throw new NotSupportedException($"{type} cannot be returned to a guest as one flat value");
        }
    }

    // ---- helpers ----

    /// <summary>The value as a name: itself if it is one, else a new local holding it.</summary>
    private string Local(CodeWriter w, string prefix, string value)
    {
        if (value.All(c => char.IsLetterOrDigit(c) || c == '_')) return value;
        var name = Temp(prefix);
        w.Line($"var {name} = {value};");
        return name;
    }

    private string Helper(string key, string prefix, Func<string, CodeWriter> build)
    {
        if (_helperNames.TryGetValue(key, out var reference)) return reference;
        var name = prefix + _helperNames.Count;
        reference = "Abi." + name;
        _helperNames[key] = reference;
        Helpers.Add(build(name).ToString());
        return reference;
    }

    /// <summary>`new T[n]` for any element type, including arrays (`new byte[n][]`).</summary>
    public static string NewArray(string cs, string length)
    {
        int depth = 0;
        for (int i = 0; i < cs.Length; i++)
        {
            switch (cs[i])
            {
                case '<' or '(': depth++; break;
                case '>' or ')': depth--; break;
                case '[' when depth == 0: return $"new {cs.Substring(0, i)}[{length}]{cs.Substring(i)}";
            }
        }
        return $"new {cs}[{length}]";
    }

    /// <summary>The C# type of a flat core value.</summary>
    public static string FlatCs(ValueKind kind) => kind switch
    {
        ValueKind.I32 => "int",
        ValueKind.I64 => "long",
        ValueKind.F32 => "float",
        ValueKind.F64 => "double",
        _ => throw new NotSupportedException($"{kind} is not a canonical ABI flat type"),
    };
}
