using System.Numerics;
using System.Runtime.CompilerServices;
using IronWasm.Binary;

namespace IronWasm.Text;

/// <summary>Instructions of the text format: plain and folded forms, labels, locals and every immediate kind.</summary>
internal sealed partial class WatModuleParser
{
    private const byte BlockOpcode = 0x02, LoopOpcode = 0x03, IfOpcode = 0x04, ElseOpcode = 0x05, EndOpcode = 0x0B;

    /// <summary>Where instructions are being written.</summary>
    private ByteBuffer _out;

    /// <summary>A stack of encoded instructions whose folded operands are still being written (they follow their operands).</summary>
    private readonly ByteBuffer _pending = new();

    /// <summary>Enclosing block labels, innermost last; the default token for a block without a label.</summary>
    private readonly List<WatToken> _labels = [];

    private readonly Dictionary<string, uint> _localNames = new(StringComparer.Ordinal);
    private uint _localCount;

    /// <summary>Whether the code needs a data count section (memory.init and data.drop name data segments).</summary>
    private bool _usesDataCount;

    private static readonly Dictionary<Opcode, uint> NaturalAlignments = BuildNaturalAlignments();

    /// <summary>Starts a function's locals with its parameters; names are known only for inline parameters.</summary>
    private void BeginFunction(int paramCount, List<WatToken> paramNames)
    {
        _localNames.Clear();
        _localCount = 0;
        for (int i = 0; i < paramCount; i++)
            DefineLocal(i < paramNames.Count ? paramNames[i] : default);
    }

    private void DefineLocal(WatToken id)
    {
        if (id.Kind == WatTokenKind.Identifier)
        {
            var lookup = _localNames.GetAlternateLookup<ReadOnlySpan<char>>();
            var name = _r.Text(id);
            if (lookup.ContainsKey(name)) throw _r.Error(id, $"duplicate local {name}");
            lookup[name] = _localCount;
        }
        _localCount++;
    }

    private void BeginExpression(ByteBuffer target)
    {
        _out = target;
        _labels.Clear();
    }

    /// <summary>Starts an expression outside any function (an initializer or offset), where no local is in scope.</summary>
    private void BeginConstantExpression(ByteBuffer target)
    {
        _localNames.Clear();
        _localCount = 0;
        BeginExpression(target);
    }

    /// <summary>A constant expression (instructions up to a closing parenthesis) followed by its <c>end</c>.</summary>
    private void ParseExpression(ByteBuffer target)
    {
        BeginConstantExpression(target);
        ParseInstructions();
        target.WriteByte(EndOpcode);
    }

    /// <summary>Reads instructions until a token that cannot start one (a <c>)</c>, <c>end</c> or <c>else</c>), left unread.</summary>
    private void ParseInstructions()
    {
        EnsureStack();
        while (true)
        {
            var token = _r.Peek();
            if (token.Kind == WatTokenKind.LeftParen)
            {
                ParseFoldedInstruction();
                continue;
            }
            if (token.Kind != WatTokenKind.Keyword) return;
            var text = _r.Text(token);
            if (text is "end" or "else") return;
            _r.Next();
            switch (text)
            {
                case "block": ParsePlainBlock(BlockOpcode); break;
                case "loop": ParsePlainBlock(LoopOpcode); break;
                case "if": ParsePlainBlock(IfOpcode); break;
                default:
                    if (!WatKeywords.TryGetInstruction(text, out var info)) throw _r.Unexpected(token);
                    WriteInstruction(info);
                    break;
            }
        }
    }

    /// <summary>Nested instructions are parsed recursively: text nested deeper than the thread's stack allows is refused, not a crash.</summary>
    private void EnsureStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw _r.Error(_r.Peek(), "instructions nested too deeply");
    }

    /// <summary><c>block label blocktype instr* end label?</c> (and loop; if with an optional <c>else label? instr*</c>).</summary>
    private void ParsePlainBlock(byte opcode)
    {
        var label = OptionalId();
        var type = ParseTypeUse(allowNames: false, paramNames: null, forBlock: true);
        _out.WriteByte(opcode);
        WriteBlockType(type);
        _labels.Add(label);
        ParseInstructions();
        if (opcode == IfOpcode && _r.PeekKeyword("else"))
        {
            _r.Next();
            CheckClosingLabel(label);
            _out.WriteByte(ElseOpcode);
            ParseInstructions();
        }
        var end = _r.Peek();
        if (!_r.IsKeyword(end, "end")) throw _r.Unexpected(end);
        _r.Next();
        CheckClosingLabel(label);
        _labels.RemoveAt(_labels.Count - 1);
        _out.WriteByte(EndOpcode);
    }

    private void CheckClosingLabel(WatToken label)
    {
        if (_r.Peek().Kind != WatTokenKind.Identifier) return;
        var id = _r.Next();
        if (label.Kind != WatTokenKind.Identifier || !_r.Text(label).SequenceEqual(_r.Text(id)))
            throw _r.Error(id, "mismatching label");
    }

    private void WriteBlockType(TypeUse type)
    {
        if (type.ShortBlockType != 0) _out.WriteByte(type.ShortBlockType);
        else _out.WriteS64(type.Index); // a type index is a positive s33
    }

    /// <summary>
    /// <c>( plaininstr foldedinstr* )</c> = the operands, then the instruction; <c>(block ...)</c>, <c>(loop ...)</c>;
    /// <c>(if label blocktype foldedinstr* (then instr*) (else instr*)?)</c> = condition, then the if.
    /// </summary>
    private void ParseFoldedInstruction()
    {
        EnsureStack();
        _r.ExpectLeftParen();
        var token = _r.Next();
        if (token.Kind != WatTokenKind.Keyword) throw _r.Unexpected(token);
        var text = _r.Text(token);
        switch (text)
        {
            case "block" or "loop":
            {
                var label = OptionalId();
                var type = ParseTypeUse(allowNames: false, paramNames: null, forBlock: true);
                _out.WriteByte(text is "block" ? BlockOpcode : LoopOpcode);
                WriteBlockType(type);
                _labels.Add(label);
                ParseInstructions();
                _r.ExpectRightParen();
                _labels.RemoveAt(_labels.Count - 1);
                _out.WriteByte(EndOpcode);
                return;
            }
            case "if":
            {
                var label = OptionalId();
                var type = ParseTypeUse(allowNames: false, paramNames: null, forBlock: true);
                while (_r.Peek().Kind == WatTokenKind.LeftParen && !_r.PeekField("then")) ParseFoldedInstruction();
                _out.WriteByte(IfOpcode);
                WriteBlockType(type);
                _labels.Add(label);
                if (!_r.TryField("then")) throw _r.Unexpected(_r.Peek());
                ParseInstructions();
                _r.ExpectRightParen();
                if (_r.TryField("else"))
                {
                    _out.WriteByte(ElseOpcode);
                    ParseInstructions();
                    _r.ExpectRightParen();
                }
                _r.ExpectRightParen();
                _labels.RemoveAt(_labels.Count - 1);
                _out.WriteByte(EndOpcode);
                return;
            }
            case "else" or "end":
                throw _r.Unexpected(token);
        }
        if (!WatKeywords.TryGetInstruction(text, out var info)) throw _r.Unexpected(token);
        int start = _out.Length;
        WriteInstruction(info);
        int pending = _pending.Length;
        _pending.WriteBytes(_out.Span.Slice(start));
        _out.Truncate(start);
        while (_r.Peek().Kind == WatTokenKind.LeftParen) ParseFoldedInstruction();
        _r.ExpectRightParen();
        _out.WriteBytes(_pending.Span.Slice(pending));
        _pending.Truncate(pending);
    }

    /// <summary>An instruction other than block/loop/if, with its immediates, after its mnemonic.</summary>
    private void WriteInstruction(OpcodeTable.Info info)
    {
        var opcode = info.Opcode;
        if (opcode == Opcode.Select)
        {
            WriteSelect();
            return;
        }
        WriteOpcode(opcode);
        switch (info.Immediate)
        {
            case ImmediateKind.None:
                break;
            case ImmediateKind.LabelIndex:
                _out.WriteU32(ParseLabel());
                break;
            case ImmediateKind.BrTable:
                WriteBranchTable();
                break;
            case ImmediateKind.FunctionIndex:
                _out.WriteU32(_funcs.Resolve(_r, _r.Next()));
                break;
            case ImmediateKind.CallIndirect:
            {
                uint table = IndexSpace.IsIndex(_r.Peek()) ? _tables.Resolve(_r, _r.Next()) : 0;
                var use = ParseTypeUse(allowNames: false, paramNames: null, forBlock: false);
                _out.WriteU32(use.Index);
                _out.WriteU32(table);
                break;
            }
            case ImmediateKind.LocalIndex:
                _out.WriteU32(ResolveLocal(_r.Next()));
                break;
            case ImmediateKind.GlobalIndex:
                _out.WriteU32(_globals.Resolve(_r, _r.Next()));
                break;
            case ImmediateKind.TableIndex:
                _out.WriteU32(IndexSpace.IsIndex(_r.Peek()) ? _tables.Resolve(_r, _r.Next()) : 0);
                break;
            case ImmediateKind.MemArg:
                WriteMemoryArgument(opcode);
                break;
            case ImmediateKind.MemoryIndex:
                _out.WriteByte(0);
                break;
            case ImmediateKind.I32:
                _out.WriteS32((int)(uint)ParseIntegerLiteral(32));
                break;
            case ImmediateKind.I64:
                _out.WriteS64((long)ParseIntegerLiteral(64));
                break;
            case ImmediateKind.F32:
                _out.WriteF32((uint)ParseFloatLiteral(WatNumbers.Single));
                break;
            case ImmediateKind.F64:
                _out.WriteF64(ParseFloatLiteral(WatNumbers.Double));
                break;
            case ImmediateKind.HeapType:
                _out.WriteByte((byte)ParseHeapType());
                break;
            case ImmediateKind.MemoryInit:
                _out.WriteU32(_datas.Resolve(_r, _r.Next()));
                _out.WriteByte(0);
                _usesDataCount = true;
                break;
            case ImmediateKind.DataIndex:
                _out.WriteU32(_datas.Resolve(_r, _r.Next()));
                _usesDataCount = true;
                break;
            case ImmediateKind.MemoryCopy:
                _out.WriteByte(0);
                _out.WriteByte(0);
                break;
            case ImmediateKind.TableInit:
            {
                // table.init x? y: with one index it is the element segment, of table 0.
                var first = _r.Next();
                uint table = 0, segment;
                if (IndexSpace.IsIndex(_r.Peek()))
                {
                    table = _tables.Resolve(_r, first);
                    segment = _elems.Resolve(_r, _r.Next());
                }
                else
                {
                    segment = _elems.Resolve(_r, first);
                }
                _out.WriteU32(segment);
                _out.WriteU32(table);
                break;
            }
            case ImmediateKind.ElementIndex:
                _out.WriteU32(_elems.Resolve(_r, _r.Next()));
                break;
            case ImmediateKind.TableCopy:
            {
                uint destination = 0, source = 0;
                if (IndexSpace.IsIndex(_r.Peek()))
                {
                    destination = _tables.Resolve(_r, _r.Next());
                    source = _tables.Resolve(_r, _r.Next());
                }
                _out.WriteU32(destination);
                _out.WriteU32(source);
                break;
            }
            case ImmediateKind.V128:
                WriteVectorConstant();
                break;
            case ImmediateKind.Shuffle:
                WriteShuffleLanes();
                break;
            case ImmediateKind.Lane:
                _out.WriteByte(ParseLaneIndex());
                break;
            case ImmediateKind.MemArgLane:
                WriteMemoryArgument(opcode);
                _out.WriteByte(ParseLaneIndex());
                break;
            default:
                throw new InvalidOperationException($"no text form for the immediates of {info.Mnemonic}");
        }
    }

    private void WriteOpcode(Opcode opcode)
    {
        var (prefix, code) = OpcodeTable.Split(opcode);
        if (prefix == 0)
        {
            _out.WriteByte((byte)code);
            return;
        }
        _out.WriteByte(prefix);
        _out.WriteU32(code);
    }

    /// <summary><c>select</c>, or <c>select (result t*)*</c>, the typed form.</summary>
    private void WriteSelect()
    {
        if (!_r.PeekField("result"))
        {
            _out.WriteByte(0x1B);
            return;
        }
        _results.Clear();
        ParseResults(_results);
        _out.WriteByte(0x1C);
        _out.WriteU32((uint)_results.Count);
        foreach (var type in _results) _out.WriteByte((byte)type);
    }

    private void WriteBranchTable()
    {
        var labels = new List<uint>();
        while (IndexSpace.IsIndex(_r.Peek())) labels.Add(ParseLabel());
        if (labels.Count == 0) throw _r.Unexpected(_r.Peek());
        _out.WriteU32((uint)(labels.Count - 1));
        foreach (uint label in labels) _out.WriteU32(label);
    }

    /// <summary>A label: a relative depth, or the identifier of an enclosing block (the innermost one wins).</summary>
    private uint ParseLabel()
    {
        var token = _r.Next();
        if (token.Kind == WatTokenKind.Natural) return ParseU32(token);
        if (token.Kind != WatTokenKind.Identifier) throw _r.Unexpected(token);
        var name = _r.Text(token);
        for (int i = _labels.Count - 1; i >= 0; i--)
        {
            var label = _labels[i];
            if (label.Kind == WatTokenKind.Identifier && _r.Text(label).SequenceEqual(name))
                return (uint)(_labels.Count - 1 - i);
        }
        throw _r.Error(token, $"unknown label {name}");
    }

    private uint ResolveLocal(WatToken token)
    {
        if (token.Kind == WatTokenKind.Natural) return ParseU32(token);
        if (token.Kind != WatTokenKind.Identifier) throw _r.Unexpected(token);
        if (_localNames.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(_r.Text(token), out uint index)) return index;
        throw _r.Error(token, $"unknown local {_r.Text(token)}");
    }

    private ValueKind ParseHeapType()
    {
        var token = _r.Next();
        if (_r.IsKeyword(token, "func")) return ValueKind.FuncRef;
        if (_r.IsKeyword(token, "extern")) return ValueKind.ExternRef;
        throw _r.Unexpected(token);
    }

    /// <summary>An iN literal: natural or signed, in <c>-2^(N-1) .. 2^N-1</c>; returns the N-bit pattern.</summary>
    private ulong ParseIntegerLiteral(int bits)
    {
        var token = _r.Next();
        if (token.Kind is not (WatTokenKind.Natural or WatTokenKind.Integer)) throw _r.Unexpected(token);
        if (WatNumbers.ParseInteger(_r.Text(token), bits, out ulong value) != WatNumbers.Result.Ok)
            throw _r.Error(token, "constant out of range");
        return value;
    }

    private ulong ParseFloatLiteral(WatNumbers.FloatFormat format)
    {
        var token = _r.Next();
        if (!token.IsNumber) throw _r.Unexpected(token);
        if (WatNumbers.ParseFloat(_r.Text(token), format, out ulong bits) != WatNumbers.Result.Ok)
            throw _r.Error(token, "constant out of range");
        return bits;
    }

    /// <summary><c>offset=N? align=N?</c>; the alignment is encoded as its base-2 logarithm, by default the natural one.</summary>
    private void WriteMemoryArgument(Opcode opcode)
    {
        uint offset = 0;
        uint alignment = NaturalAlignments[opcode];
        var token = _r.Peek();
        if (token.Kind == WatTokenKind.Keyword && _r.Text(token).StartsWith("offset="))
        {
            _r.Next();
            offset = (uint)ParseKeywordNumber(token, "offset=".Length);
            token = _r.Peek();
        }
        if (token.Kind == WatTokenKind.Keyword && _r.Text(token).StartsWith("align="))
        {
            _r.Next();
            uint value = (uint)ParseKeywordNumber(token, "align=".Length);
            if (value == 0 || !BitOperations.IsPow2(value)) throw _r.Error(token, "alignment must be a power of two");
            alignment = (uint)BitOperations.Log2(value);
        }
        _out.WriteU32(alignment);
        _out.WriteU32(offset);
    }

    private ulong ParseKeywordNumber(WatToken token, int prefix)
    {
        var digits = _r.Text(token).Slice(prefix);
        if (WatNumbers.Classify(digits) != WatTokenKind.Natural) throw _r.Unexpected(token);
        if (!WatNumbers.TryParseUnsigned(digits, uint.MaxValue, out ulong value))
            throw _r.Error(token, "i32 constant out of range");
        return value;
    }

    /// <summary>A lane index immediate: a natural number that fits a byte.</summary>
    private byte ParseLaneIndex()
    {
        var token = _r.Next();
        if (token.Kind != WatTokenKind.Natural) throw _r.Unexpected(token);
        if (!WatNumbers.TryParseUnsigned(_r.Text(token), 255, out ulong value)) throw _r.Error(token, "malformed lane index");
        return (byte)value;
    }

    private void WriteShuffleLanes()
    {
        for (int i = 0; i < 16; i++)
        {
            var token = _r.Peek();
            if (!token.IsNumber) throw _r.Error(token, "invalid lane length");
            _r.Next();
            if (token.Kind != WatTokenKind.Natural || !WatNumbers.TryParseUnsigned(_r.Text(token), 255, out ulong value))
                throw _r.Error(token, "malformed lane index");
            _out.WriteByte((byte)value);
        }
        if (_r.Peek().IsNumber) throw _r.Error(_r.Peek(), "invalid lane length");
    }

    private void WriteVectorConstant()
    {
        Span<byte> bytes = stackalloc byte[16];
        ParseVectorLanes(_r, bytes);
        _out.WriteBytes(bytes);
    }

    /// <summary><c>shape lane*</c> of a <c>v128.const</c>, as the 16 little-endian bytes (shared with the script parser).</summary>
    internal static void ParseVectorLanes(WatReader r, Span<byte> bytes)
    {
        var shapeToken = r.Next();
        var shape = shapeToken.Kind == WatTokenKind.Keyword ? VectorShape.Parse(r.Text(shapeToken)) : null;
        if (shape is null) throw r.Unexpected(shapeToken);
        // The literals are counted before any is converted: a wrong count is reported first.
        Span<WatToken> literals = stackalloc WatToken[16];
        int count = 0;
        var first = r.Peek();
        while (r.Peek().IsNumber)
        {
            var token = r.Next();
            if (count < literals.Length) literals[count] = token;
            count++;
        }
        if (count != shape.Lanes) throw r.Error(first, "wrong number of lane literals");
        for (int lane = 0; lane < shape.Lanes; lane++)
        {
            var token = literals[lane];
            ulong bits;
            if (shape.IsFloat)
            {
                if (WatNumbers.ParseFloat(r.Text(token), shape.Format, out bits) != WatNumbers.Result.Ok)
                    throw r.Error(token, "constant out of range");
            }
            else
            {
                if (token.Kind == WatTokenKind.Float) throw r.Unexpected(token);
                if (WatNumbers.ParseInteger(r.Text(token), shape.LaneBits, out bits) != WatNumbers.Result.Ok)
                    throw r.Error(token, "constant out of range");
            }
            shape.WriteLane(bytes, lane, bits);
        }
    }

    private static Dictionary<Opcode, uint> BuildNaturalAlignments()
    {
        var map = new Dictionary<Opcode, uint>();
        foreach (var info in OpcodeTable.All)
        {
            if (info.Immediate is ImmediateKind.MemArg or ImmediateKind.MemArgLane)
                map[info.Opcode] = (uint)BitOperations.Log2(AccessBytes(info.Mnemonic));
        }
        return map;
    }

    /// <summary>
    /// The bytes a memory instruction accesses, read from its mnemonic: <c>i64.load</c> 8, <c>i32.load16_s</c> 2,
    /// <c>v128.load8x8_s</c> 8, <c>v128.load32_splat</c> 4, <c>v128.store64_lane</c> 8.
    /// </summary>
    private static uint AccessBytes(string mnemonic)
    {
        int dot = mnemonic.IndexOf('.');
        var type = mnemonic.AsSpan(0, dot);
        var operation = mnemonic.AsSpan(dot + 1);
        operation = operation.StartsWith("load") ? operation.Slice(4) : operation.Slice(5); // "load" / "store"
        int digits = 0;
        while (digits < operation.Length && char.IsAsciiDigit(operation[digits])) digits++;
        if (digits == 0)
            return type switch { "i32" or "f32" => 4u, "i64" or "f64" => 8u, _ => 16u };
        uint bits = uint.Parse(operation.Slice(0, digits));
        if (digits < operation.Length && operation[digits] == 'x')
        {
            var rest = operation.Slice(digits + 1);
            int count = 0;
            while (count < rest.Length && char.IsAsciiDigit(rest[count])) count++;
            bits *= uint.Parse(rest.Slice(0, count));
        }
        return bits / 8;
    }
}
