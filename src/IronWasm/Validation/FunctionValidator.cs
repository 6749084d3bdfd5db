using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using IronWasm.Binary;
using IronWasm.Model;

namespace IronWasm.Validation;

/// <summary>Validates function bodies with the operand and control stacks of the spec's validation
/// algorithm (appendix "Validation Algorithm"), including the polymorphic stack after unconditional
/// branches. One instance is reused for many functions: its stacks only ever grow, so a warmed-up
/// validator allocates nothing.</summary>
internal sealed class FunctionValidator
{
    /// <summary>The spec's "Unknown" operand type: a value of any type, produced by popping from the
    /// polymorphic stack of unreachable code. Not a valid <see cref="ValueKind"/> encoding.</summary>
    private const ValueKind Unknown = 0;

    /// <summary>Locals beyond this many are typed by searching the declared runs rather than from an
    /// expanded array, so that a body declaring billions of locals costs no memory.</summary>
    private const int MaxExpandedLocals = 1 << 16;

    private static readonly ValueKind[] NoTypes = [];
    private static readonly ValueKind[] I32Types = [ValueKind.I32];
    private static readonly ValueKind[] I64Types = [ValueKind.I64];
    private static readonly ValueKind[] F32Types = [ValueKind.F32];
    private static readonly ValueKind[] F64Types = [ValueKind.F64];
    private static readonly ValueKind[] V128Types = [ValueKind.V128];
    private static readonly ValueKind[] FuncRefTypes = [ValueKind.FuncRef];
    private static readonly ValueKind[] ExternRefTypes = [ValueKind.ExternRef];

    private struct ControlFrame
    {
        /// <summary>Block, Loop, If, or Else once the else branch has begun.</summary>
        public Opcode Opcode;
        public ValueKind[] StartTypes;
        public ValueKind[] EndTypes;
        public int Height;
        public bool Unreachable;
    }

    private ValueKind[] _operands = new ValueKind[64];
    private int _operandCount;
    private ControlFrame[] _controls = new ControlFrame[16];
    private int _controlCount;
    // The innermost frame's height and reachability, copied out of _controls because every pop reads them.
    private int _height;
    private bool _unreachable;

    private ValueKind[] _localTypes = new ValueKind[64];
    private int _expandedLocalCount;
    private ulong _localCount;
    private ValueKind[] _parameters = NoTypes;
    private LocalRun[] _localRuns = [];
    private ulong[]? _localRunEnds;

    private uint[] _branchTargets = new uint[16];
    private ValueKind[] _branchValues = new ValueKind[8];

    private ValidationContext _context = null!;
    private int _functionIndex;
    private int _offset;

    /// <summary>Validates the body of defined function <paramref name="definedIndex"/> (0 = first
    /// non-imported function).</summary>
    public void Validate(ValidationContext context, int definedIndex)
    {
        _context = context;
        _functionIndex = context.ImportedFunctionCount + definedIndex;
        var body = context.Module.Bodies[definedIndex];
        uint typeIndex = context.FunctionTypeIndices[_functionIndex];
        _offset = body.CodeOffset;
        DeclareLocals(context.TypeParameters[typeIndex], body.Locals);

        _operandCount = 0;
        _controlCount = 0;
        PushControl(Opcode.Block, NoTypes, context.TypeResults[typeIndex]);

        var reader = new InstructionReader(body.Code.Span, body.CodeOffset);
        while (true)
        {
            if (!reader.HasMore) throw new WasmFormatException("unexpected end of function body", reader.Offset);
            Instruction instruction = reader.Read();
            _offset = instruction.Offset;
            switch (instruction.Opcode)
            {
                case Opcode.Unreachable: SetUnreachable(); break;
                case Opcode.Nop: break;
                case Opcode.Block:
                case Opcode.Loop:
                {
                    ResolveBlockType(instruction.Block, out var start, out var end);
                    PopValues(start);
                    PushControl(instruction.Opcode, start, end);
                    break;
                }
                case Opcode.If:
                {
                    ResolveBlockType(instruction.Block, out var start, out var end);
                    PopExpected(ValueKind.I32);
                    PopValues(start);
                    PushControl(Opcode.If, start, end);
                    break;
                }
                case Opcode.Else:
                {
                    if (_controls[_controlCount - 1].Opcode != Opcode.If)
                        throw new WasmFormatException("else without a matching if", _offset);
                    var frame = PopControl();
                    PushControl(Opcode.Else, frame.StartTypes, frame.EndTypes);
                    break;
                }
                case Opcode.End:
                {
                    var frame = PopControl();
                    // An if without else has an implicit empty else branch, which must map the
                    // block's parameters to its results unchanged.
                    if (frame.Opcode == Opcode.If && !frame.StartTypes.AsSpan().SequenceEqual(frame.EndTypes))
                        Fail("type mismatch: if without else must have the same parameter and result types");
                    PushValues(frame.EndTypes);
                    if (_controlCount == 0)
                    {
                        if (reader.HasMore) throw new WasmFormatException("operators remaining after the end of the function", reader.Offset);
                        return;
                    }
                    break;
                }
                case Opcode.Br:
                    PopValues(LabelTypes(instruction.Index));
                    SetUnreachable();
                    break;
                case Opcode.BrIf:
                {
                    PopExpected(ValueKind.I32);
                    var types = LabelTypes(instruction.Index);
                    PopValues(types);
                    PushValues(types);
                    break;
                }
                case Opcode.BrTable: BranchTable(ref reader, in instruction); break;
                case Opcode.Return:
                    PopValues(_controls[0].EndTypes);
                    SetUnreachable();
                    break;
                case Opcode.Call:
                {
                    uint type = FunctionType(instruction.Index);
                    PopValues(_context.TypeParameters[type]);
                    PushValues(_context.TypeResults[type]);
                    break;
                }
                case Opcode.CallIndirect:
                {
                    if (TableType(instruction.Index2) != ValueKind.FuncRef)
                        Fail($"type mismatch: call_indirect through table {instruction.Index2} of type {TableType(instruction.Index2).ToText()}");
                    uint type = instruction.Index;
                    if (type >= (uint)_context.TypeParameters.Length) Fail($"unknown type {type}");
                    PopExpected(ValueKind.I32);
                    PopValues(_context.TypeParameters[type]);
                    PushValues(_context.TypeResults[type]);
                    break;
                }
                case Opcode.Drop: PopValue(); break;
                case Opcode.Select: Select(); break;
                case Opcode.SelectTyped:
                {
                    if (instruction.Index != 1) Fail($"invalid result arity: select must have exactly one result type, not {instruction.Index}");
                    var type = instruction.Type;
                    PopExpected(ValueKind.I32);
                    PopExpected(type);
                    PopExpected(type);
                    Push(type);
                    break;
                }
                case Opcode.LocalGet: Push(LocalType(instruction.Index)); break;
                case Opcode.LocalSet: PopExpected(LocalType(instruction.Index)); break;
                case Opcode.LocalTee:
                {
                    var type = LocalType(instruction.Index);
                    PopExpected(type);
                    Push(type);
                    break;
                }
                case Opcode.GlobalGet: Push(GlobalType(instruction.Index)); break;
                case Opcode.GlobalSet:
                {
                    var type = GlobalType(instruction.Index);
                    if (!_context.GlobalMutable[instruction.Index]) Fail($"global is immutable: global.set of global {instruction.Index}");
                    PopExpected(type);
                    break;
                }
                case Opcode.TableGet:
                {
                    var type = TableType(instruction.Index);
                    PopExpected(ValueKind.I32);
                    Push(type);
                    break;
                }
                case Opcode.TableSet:
                {
                    var type = TableType(instruction.Index);
                    PopExpected(type);
                    PopExpected(ValueKind.I32);
                    break;
                }
                case Opcode.MemorySize:
                    CheckMemory(instruction.Index);
                    Push(ValueKind.I32);
                    break;
                case Opcode.MemoryGrow:
                    CheckMemory(instruction.Index);
                    PopExpected(ValueKind.I32);
                    Push(ValueKind.I32);
                    break;
                case Opcode.I32Const: Push(ValueKind.I32); break;
                case Opcode.I64Const: Push(ValueKind.I64); break;
                case Opcode.F32Const: Push(ValueKind.F32); break;
                case Opcode.F64Const: Push(ValueKind.F64); break;
                case Opcode.V128Const: Push(ValueKind.V128); break;
                case Opcode.RefNull: Push(instruction.Type); break;
                case Opcode.RefIsNull:
                {
                    var type = PopValue();
                    if (type != Unknown && !type.IsReference()) Fail($"type mismatch: ref.is_null of {type.ToText()}");
                    Push(ValueKind.I32);
                    break;
                }
                case Opcode.RefFunc:
                    FunctionType(instruction.Index);
                    if (!_context.DeclaredFunctions[instruction.Index])
                        Fail($"undeclared function reference: function {instruction.Index} is not declared by an element segment, export or global");
                    Push(ValueKind.FuncRef);
                    break;
                case Opcode.MemoryInit:
                    CheckMemory(instruction.Index2);
                    CheckDataSegment(instruction.Index);
                    PopThreeI32();
                    break;
                case Opcode.DataDrop: CheckDataSegment(instruction.Index); break;
                case Opcode.MemoryCopy:
                    CheckMemory(instruction.Index);
                    CheckMemory(instruction.Index2);
                    PopThreeI32();
                    break;
                case Opcode.MemoryFill:
                    CheckMemory(instruction.Index);
                    PopThreeI32();
                    break;
                case Opcode.TableInit:
                {
                    var tableType = TableType(instruction.Index2);
                    var segmentType = ElementSegmentType(instruction.Index);
                    if (tableType != segmentType)
                        Fail($"type mismatch: table.init of a {segmentType.ToText()} segment into a {tableType.ToText()} table");
                    PopThreeI32();
                    break;
                }
                case Opcode.ElemDrop: ElementSegmentType(instruction.Index); break;
                case Opcode.TableCopy:
                {
                    var destination = TableType(instruction.Index);
                    var source = TableType(instruction.Index2);
                    if (destination != source)
                        Fail($"type mismatch: table.copy from a {source.ToText()} table to a {destination.ToText()} table");
                    PopThreeI32();
                    break;
                }
                case Opcode.TableGrow:
                {
                    var type = TableType(instruction.Index);
                    PopExpected(ValueKind.I32);
                    PopExpected(type);
                    Push(ValueKind.I32);
                    break;
                }
                case Opcode.TableSize:
                    TableType(instruction.Index);
                    Push(ValueKind.I32);
                    break;
                case Opcode.TableFill:
                {
                    var type = TableType(instruction.Index);
                    PopExpected(ValueKind.I32);
                    PopExpected(type);
                    PopExpected(ValueKind.I32);
                    break;
                }
                default: FixedSignature(in instruction); break;
            }
        }
    }

    /// <summary>Drops the references to the last module, so that a cached validator does not keep it alive.</summary>
    public void Release()
    {
        _context = null!;
        _parameters = NoTypes;
        _localRuns = [];
        _localRunEnds = null;
        Array.Clear(_controls, 0, _controls.Length);
    }

    /// <summary>The many instructions typed by a fixed signature (numeric, memory access, SIMD).</summary>
    private void FixedSignature(in Instruction instruction)
    {
        ref readonly var signature = ref InstructionSignatures.Get(instruction.Opcode);
        switch (signature.Class)
        {
            case SignatureClass.Plain:
                break;
            case SignatureClass.MemoryAccess:
                CheckMemoryAccess(instruction.Memory, signature.MaxAlignment);
                break;
            case SignatureClass.Lane:
                CheckLane(instruction.Lane, signature.LaneCount);
                break;
            case SignatureClass.MemoryAccessLane:
                CheckMemoryAccess(instruction.Memory, signature.MaxAlignment);
                CheckLane(instruction.Lane, signature.LaneCount);
                break;
            case SignatureClass.Shuffle:
                for (int i = 0; i < 16; i++) CheckLane(instruction.Vector.GetElement(i), 32);
                break;
            default:
                throw new WasmFormatException($"illegal opcode {Mnemonic(instruction.Opcode)}", _offset);
        }
        switch (signature.OperandCount)
        {
            case 3:
                PopExpected(signature.Operand2);
                PopExpected(signature.Operand1);
                PopExpected(signature.Operand0);
                break;
            case 2:
                PopExpected(signature.Operand1);
                PopExpected(signature.Operand0);
                break;
            case 1:
                PopExpected(signature.Operand0);
                break;
        }
        if (signature.Result != 0) Push(signature.Result);
    }

    private void BranchTable(ref InstructionReader reader, in Instruction instruction)
    {
        PopExpected(ValueKind.I32);
        int count = instruction.TargetCount;
        if (_branchTargets.Length < count) _branchTargets = new uint[Math.Max(count, _branchTargets.Length * 2)];
        var targets = _branchTargets.AsSpan(0, count);
        reader.ReadBranchTargets(in instruction, targets);

        var defaultTypes = LabelTypes(instruction.Index);
        int arity = defaultTypes.Length;
        if (_branchValues.Length < arity) _branchValues = new ValueKind[Math.Max(arity, _branchValues.Length * 2)];
        foreach (uint target in targets)
        {
            var types = LabelTypes(target);
            if (types.Length != arity)
                Fail($"type mismatch: br_table target {target} expects {types.Length} values, the default target {arity}");
            // Pop then push back what was popped, so that each target is checked against the same
            // operands, which may be Unknown and stay so.
            for (int i = arity - 1; i >= 0; i--) _branchValues[i] = PopExpected(types[i]);
            for (int i = 0; i < arity; i++) Push(_branchValues[i]);
        }
        PopValues(defaultTypes);
        SetUnreachable();
    }

    private void Select()
    {
        PopExpected(ValueKind.I32);
        var first = PopValue();
        var second = PopValue();
        // Untyped select only chooses between numeric or vector values; reference types need
        // the typed form.
        bool numeric = IsNumericOrUnknown(first) && IsNumericOrUnknown(second);
        bool vector = first is ValueKind.V128 or Unknown && second is ValueKind.V128 or Unknown;
        if (!numeric && !vector)
            Fail($"type mismatch: select without a type needs numeric or vector operands, found {second.ToText()} and {first.ToText()}");
        if (first != second && first != Unknown && second != Unknown)
            Fail($"type mismatch: select between {second.ToText()} and {first.ToText()}");
        Push(first == Unknown ? second : first);
    }

    private static bool IsNumericOrUnknown(ValueKind type) =>
        type is ValueKind.I32 or ValueKind.I64 or ValueKind.F32 or ValueKind.F64 or Unknown;

    // ---- operand stack ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(ValueKind type)
    {
        if (_operandCount == _operands.Length) Array.Resize(ref _operands, _operands.Length * 2);
        _operands[_operandCount++] = type;
    }

    private void PushValues(ValueKind[] types)
    {
        foreach (var type in types) Push(type);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueKind PopValue()
    {
        if (_operandCount > _height) return _operands[--_operandCount];
        if (_unreachable) return Unknown;
        throw Underflow(Unknown);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueKind PopExpected(ValueKind expected)
    {
        if (_operandCount > _height)
        {
            var actual = _operands[--_operandCount];
            if (actual != expected && actual != Unknown && expected != Unknown) throw Mismatch(expected, actual);
            return actual;
        }
        if (_unreachable) return Unknown;
        throw Underflow(expected);
    }

    private void PopValues(ValueKind[] types)
    {
        for (int i = types.Length - 1; i >= 0; i--) PopExpected(types[i]);
    }

    private void PopThreeI32()
    {
        PopExpected(ValueKind.I32);
        PopExpected(ValueKind.I32);
        PopExpected(ValueKind.I32);
    }

    // ---- control stack ----

    private void PushControl(Opcode opcode, ValueKind[] startTypes, ValueKind[] endTypes)
    {
        if (_controlCount == _controls.Length) Array.Resize(ref _controls, _controls.Length * 2);
        ref var frame = ref _controls[_controlCount++];
        frame.Opcode = opcode;
        frame.StartTypes = startTypes;
        frame.EndTypes = endTypes;
        frame.Height = _operandCount;
        frame.Unreachable = false;
        _height = _operandCount;
        _unreachable = false;
        PushValues(startTypes);
    }

    private ControlFrame PopControl()
    {
        var frame = _controls[_controlCount - 1];
        PopValues(frame.EndTypes);
        if (_operandCount != frame.Height)
            Fail($"type mismatch: {_operandCount - frame.Height} more value(s) on the stack than the block's {frame.EndTypes.Length} result(s)");
        _controlCount--;
        if (_controlCount > 0)
        {
            ref var outer = ref _controls[_controlCount - 1];
            _height = outer.Height;
            _unreachable = outer.Unreachable;
        }
        return frame;
    }

    private void SetUnreachable()
    {
        _operandCount = _height;
        _unreachable = true;
        _controls[_controlCount - 1].Unreachable = true;
    }

    private ValueKind[] LabelTypes(uint label)
    {
        if (label >= (uint)_controlCount) Fail($"unknown label {label}");
        ref var frame = ref _controls[_controlCount - 1 - (int)label];
        return frame.Opcode == Opcode.Loop ? frame.StartTypes : frame.EndTypes;
    }

    private void ResolveBlockType(BlockType blockType, out ValueKind[] start, out ValueKind[] end)
    {
        switch (blockType.Kind)
        {
            case BlockTypeKind.Empty:
                start = NoTypes;
                end = NoTypes;
                break;
            case BlockTypeKind.Value:
                start = NoTypes;
                end = blockType.Value switch
                {
                    ValueKind.I32 => I32Types,
                    ValueKind.I64 => I64Types,
                    ValueKind.F32 => F32Types,
                    ValueKind.F64 => F64Types,
                    ValueKind.V128 => V128Types,
                    ValueKind.FuncRef => FuncRefTypes,
                    ValueKind.ExternRef => ExternRefTypes,
                    _ => throw new WasmFormatException($"malformed block type 0x{(byte)blockType.Value:X2}", _offset),
                };
                break;
            default:
                uint type = blockType.TypeIndex;
                if (type >= (uint)_context.TypeParameters.Length) Fail($"unknown type {type}");
                start = _context.TypeParameters[type];
                end = _context.TypeResults[type];
                break;
        }
    }

    // ---- locals ----

    private void DeclareLocals(ValueKind[] parameters, LocalRun[] runs)
    {
        ulong total = (ulong)parameters.Length;
        foreach (var run in runs) total += run.Count;
        if (total > uint.MaxValue) throw new WasmFormatException("too many locals", _offset);
        _localCount = total;
        _parameters = parameters;
        _localRuns = runs;
        _localRunEnds = null;

        int expanded = (int)Math.Min(total, MaxExpandedLocals);
        if (_localTypes.Length < expanded) _localTypes = new ValueKind[Math.Max(expanded, _localTypes.Length * 2)];
        int n = Math.Min(parameters.Length, expanded);
        parameters.AsSpan(0, n).CopyTo(_localTypes);
        foreach (var run in runs)
        {
            int take = (int)Math.Min(run.Count, (ulong)(expanded - n));
            _localTypes.AsSpan(n, take).Fill(run.Type);
            n += take;
            if (n == expanded) break;
        }
        _expandedLocalCount = expanded;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ValueKind LocalType(uint index)
    {
        if (index < (uint)_expandedLocalCount) return _localTypes[index];
        return DistantLocalType(index);
    }

    private ValueKind DistantLocalType(uint index)
    {
        if (index >= _localCount) Fail($"unknown local {index}");
        if (index < (uint)_parameters.Length) return _parameters[index];
        if (_localRunEnds is null)
        {
            _localRunEnds = new ulong[_localRuns.Length];
            ulong end = (ulong)_parameters.Length;
            for (int i = 0; i < _localRuns.Length; i++) _localRunEnds[i] = end += _localRuns[i].Count;
        }
        // The first run whose end lies beyond the index holds it.
        int low = 0, high = _localRunEnds.Length - 1;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_localRunEnds[middle] > index) high = middle;
            else low = middle + 1;
        }
        return _localRuns[low].Type;
    }

    // ---- index spaces ----

    private uint FunctionType(uint function)
    {
        if (function >= (uint)_context.FunctionTypeIndices.Length) Fail($"unknown function {function}");
        return _context.FunctionTypeIndices[function];
    }

    private ValueKind GlobalType(uint global)
    {
        if (global >= (uint)_context.GlobalTypes.Length) Fail($"unknown global {global}");
        return _context.GlobalTypes[global];
    }

    private ValueKind TableType(uint table)
    {
        if (table >= (uint)_context.TableElementTypes.Length) Fail($"unknown table {table}");
        return _context.TableElementTypes[table];
    }

    private ValueKind ElementSegmentType(uint segment)
    {
        if (segment >= (uint)_context.ElementTypes.Length) Fail($"unknown elem segment {segment}");
        return _context.ElementTypes[segment];
    }

    private void CheckDataSegment(uint segment)
    {
        // C.datas is the data section itself; a missing data count section is the decoder's
        // (malformed-binary) business.
        if (segment >= (uint)_context.Module.Data.Count) Fail($"unknown data segment {segment}");
    }

    private void CheckMemory(uint memory)
    {
        if (memory >= (uint)_context.MemoryCount) Fail($"unknown memory {memory}");
    }

    private void CheckMemoryAccess(in MemoryArgument memory, byte maxAlignment)
    {
        CheckMemory(memory.MemoryIndex);
        if (memory.AlignExponent > maxAlignment)
            Fail($"alignment must not be larger than natural ({1UL << (int)Math.Min(memory.AlignExponent, 63)} > {1 << maxAlignment} bytes)");
    }

    private void CheckLane(byte lane, int laneCount)
    {
        if (lane >= laneCount) Fail($"invalid lane index {lane} (there are {laneCount} lanes)");
    }

    // ---- errors ----

    internal static string Mnemonic(Opcode opcode) =>
        OpcodeTable.TryGet(opcode, out var info) ? info.Mnemonic : $"opcode 0x{(uint)opcode:X}";

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private void Fail(string message) => throw new WasmValidationException(message, _functionIndex, _offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WasmValidationException Mismatch(ValueKind expected, ValueKind actual) =>
        new($"type mismatch: expected {expected.ToText()}, found {actual.ToText()}", _functionIndex, _offset);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WasmValidationException Underflow(ValueKind expected) =>
        new(expected == Unknown
                ? "type mismatch: expected a value, but no operand is left in the block"
                : $"type mismatch: expected {expected.ToText()}, but no operand is left in the block",
            _functionIndex, _offset);
}
