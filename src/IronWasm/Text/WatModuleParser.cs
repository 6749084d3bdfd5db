namespace IronWasm.Text;

/// <summary>
/// Turns the fields of one text module into the binary format. The text may refer to anything before it is
/// defined, so the fields are read in two passes over the same tokens:
/// <list type="number">
/// <item>scan: give every field its index and bind its identifier; read the explicit type definitions;
/// check that imports come before definitions;</item>
/// <item>encode every field in text order. A type use given only inline refers to the first type with
/// its signature, or appends one after all explicit types (the spec's "type use" abbreviation); as in wabt,
/// appending follows the text: a function's own type, then the block types and <c>call_indirect</c> type
/// uses in its body, then the next field.</item>
/// </list>
/// </summary>
internal sealed partial class WatModuleParser
{
    private enum FieldKind : byte { Type, Import, Func, Table, Memory, Global, Export, Start, Elem, Data }

    private readonly record struct Field(FieldKind Kind, int Position, uint Index);

    private readonly WatReader _r;

    private readonly IndexSpace _types = new("type");
    private readonly IndexSpace _funcs = new("func");
    private readonly IndexSpace _tables = new("table");
    private readonly IndexSpace _memories = new("memory");
    private readonly IndexSpace _globals = new("global");
    private readonly IndexSpace _elems = new("elem");
    private readonly IndexSpace _datas = new("data");

    private readonly List<FunctionType> _typeList = [];
    private readonly Dictionary<FunctionType, uint> _firstTypeIndex = [];
    private readonly List<Field> _fields = [];
    private uint _functionCount;
    private readonly List<(uint Index, WatToken Id)> _functionNames = [];

    // Section contents, without their entry counts.
    private readonly ByteBuffer _importSection = new(), _functionSection = new(), _tableSection = new(),
        _memorySection = new(), _globalSection = new(), _exportSection = new(), _elementSection = new(),
        _codeSection = new(), _dataSection = new();
    private uint _importCount, _tableCount, _memoryCount, _globalCount, _exportCount;
    private uint? _start;

    private readonly ByteBuffer _scratch = new();
    private readonly ByteBuffer _offsetExpression = new();
    private readonly ByteBuffer _items = new();

    private WatModuleParser(WatReader reader)
    {
        _r = reader;
        _out = _body;
    }

    /// <summary>
    /// Parses module fields from the reader's position up to the first token that cannot start a field
    /// (a <c>)</c> closing a <c>(module</c>, or the end of the input), which is left unread, and returns
    /// the binary module.
    /// </summary>
    public static byte[] ParseFields(WatReader reader)
    {
        var parser = new WatModuleParser(reader);
        parser.ScanFields();
        int end = reader.Position;
        parser.EncodeFields();
        reader.Reset(end);
        return parser.Assemble();
    }

    // ---- Pass 1: scan ------------------------------------------------------------------------------------

    private void ScanFields()
    {
        string? firstDefinition = null;
        while (_r.Peek().Kind == WatTokenKind.LeftParen)
        {
            int position = _r.Position;
            _r.Next();
            var keyword = _r.Next();
            if (keyword.Kind != WatTokenKind.Keyword) throw _r.Unexpected(keyword);
            var text = _r.Text(keyword);
            FieldKind kind;
            uint index = 0;
            switch (text)
            {
                case "type":
                    ParseTypeDefinition();
                    continue;
                case "import":
                {
                    kind = FieldKind.Import;
                    _r.Expect(WatTokenKind.String);
                    _r.Expect(WatTokenKind.String);
                    _r.ExpectLeftParen();
                    var descriptor = _r.Next();
                    var space = descriptor.Kind == WatTokenKind.Keyword ? SpaceOf(_r.Text(descriptor)) : null;
                    if (space is null) throw _r.Unexpected(descriptor);
                    if (firstDefinition is not null) throw _r.Error(keyword, $"import after {firstDefinition}");
                    var id = OptionalId();
                    index = space.Define(_r, id);
                    if (space == _funcs && id.Kind == WatTokenKind.Identifier) _functionNames.Add((index, id));
                    _r.SkipToClose();
                    _r.SkipToClose();
                    break;
                }
                case "func" or "table" or "memory" or "global":
                {
                    kind = text switch
                    {
                        "func" => FieldKind.Func,
                        "table" => FieldKind.Table,
                        "memory" => FieldKind.Memory,
                        _ => FieldKind.Global,
                    };
                    var space = SpaceOf(text)!;
                    var id = OptionalId();
                    while (_r.TryField("export")) _r.SkipToClose();
                    bool import = _r.PeekField("import");
                    if (import && firstDefinition is not null) throw _r.Error(keyword, $"import after {firstDefinition}");
                    if (!import) firstDefinition ??= kind == FieldKind.Func ? "function" : text.ToString();
                    index = space.Define(_r, id);
                    if (kind == FieldKind.Func && id.Kind == WatTokenKind.Identifier) _functionNames.Add((index, id));
                    if (!import && kind == FieldKind.Table && IsReferenceTypeKeyword(_r.Peek()))
                    {
                        _r.Next();
                        if (_r.PeekField("elem")) _elems.Define(_r, default);
                    }
                    if (!import && kind == FieldKind.Memory && _r.PeekField("data")) _datas.Define(_r, default);
                    _r.SkipToClose();
                    break;
                }
                case "elem":
                    kind = FieldKind.Elem;
                    index = _elems.Define(_r, OptionalId());
                    _r.SkipToClose();
                    break;
                case "data":
                    kind = FieldKind.Data;
                    index = _datas.Define(_r, OptionalId());
                    _r.SkipToClose();
                    break;
                case "export":
                    kind = FieldKind.Export;
                    _r.SkipToClose();
                    break;
                case "start":
                    kind = FieldKind.Start;
                    _r.SkipToClose();
                    break;
                default:
                    throw _r.Unexpected(keyword);
            }
            _fields.Add(new Field(kind, position, index));
        }
    }

    private IndexSpace? SpaceOf(ReadOnlySpan<char> keyword) => keyword switch
    {
        "func" => _funcs,
        "table" => _tables,
        "memory" => _memories,
        "global" => _globals,
        _ => null,
    };

    private WatToken OptionalId() =>
        _r.Peek().Kind == WatTokenKind.Identifier ? _r.Next() : default;

    /// <summary><c>(type $id? (func (param ...)* (result ...)*))</c>, after <c>(type</c>.</summary>
    private void ParseTypeDefinition()
    {
        var id = OptionalId();
        _r.ExpectLeftParen();
        _r.ExpectKeyword("func");
        _params.Clear();
        _results.Clear();
        while (_r.TryField("param"))
        {
            if (_r.Peek().Kind == WatTokenKind.Identifier)
            {
                _r.Next();
                _params.Add(ParseValueType());
            }
            else
            {
                while (_r.Peek().Kind != WatTokenKind.RightParen) _params.Add(ParseValueType());
            }
            _r.ExpectRightParen();
        }
        ParseResults(_results);
        _r.ExpectRightParen();
        _r.ExpectRightParen();
        uint index = _types.Define(_r, id);
        var type = new FunctionType(_params, _results);
        _typeList.Add(type);
        _firstTypeIndex.TryAdd(type, index);
    }

    // ---- Pass 2: encoding ----------------------------------------------------------------------------------

    private void EncodeFields()
    {
        foreach (var field in _fields)
        {
            _r.Reset(field.Position);
            _r.Next(); // (
            _r.Next(); // keyword
            switch (field.Kind)
            {
                case FieldKind.Import: EncodeImport(); break;
                case FieldKind.Func: EncodeFunction(field.Index); break;
                case FieldKind.Table: EncodeTable(field.Index); break;
                case FieldKind.Memory: EncodeMemory(field.Index); break;
                case FieldKind.Global: EncodeGlobal(field.Index); break;
                case FieldKind.Export: EncodeExport(); break;
                case FieldKind.Start: EncodeStart(); break;
                case FieldKind.Elem: EncodeElem(); break;
                case FieldKind.Data: EncodeData(); break;
            }
        }
    }

    /// <summary><c>(import "module" "name" desc)</c>.</summary>
    private void EncodeImport()
    {
        var module = WatStrings.DecodeName(_r.SourceSpan, _r.Expect(WatTokenKind.String), _scratch);
        var name = WatStrings.DecodeName(_r.SourceSpan, _r.Expect(WatTokenKind.String), _scratch);
        _r.ExpectLeftParen();
        var kind = _r.Next();
        OptionalId();
        switch (_r.Text(kind))
        {
            case "func":
            {
                var use = ParseTypeUse(allowNames: true, paramNames: null, forBlock: false);
                BeginImport(module, name, ExternalKind.Function);
                _importSection.WriteU32(use.Index);
                break;
            }
            case "table":
            {
                var limits = ParseLimits();
                var type = ParseReferenceType();
                BeginImport(module, name, ExternalKind.Table);
                _importSection.WriteByte((byte)type);
                WriteLimits(_importSection, limits);
                break;
            }
            case "memory":
            {
                var limits = ParseLimits();
                BeginImport(module, name, ExternalKind.Memory);
                WriteLimits(_importSection, limits);
                break;
            }
            default:
            {
                var (type, mutable) = ParseGlobalType();
                BeginImport(module, name, ExternalKind.Global);
                _importSection.WriteByte((byte)type);
                _importSection.WriteByte(mutable ? (byte)1 : (byte)0);
                break;
            }
        }
        _r.ExpectRightParen();
        _r.ExpectRightParen();
    }

    private void BeginImport(byte[] module, byte[] name, ExternalKind kind)
    {
        _importSection.WriteVector(module);
        _importSection.WriteVector(name);
        _importSection.WriteByte((byte)kind);
        _importCount++;
    }

    /// <summary>After the identifier and inline exports of a func/table/memory/global: an inline import's two names, if any.</summary>
    private bool TryInlineImport(out byte[] module, out byte[] name)
    {
        module = name = [];
        if (!_r.TryField("import")) return false;
        module = WatStrings.DecodeName(_r.SourceSpan, _r.Expect(WatTokenKind.String), _scratch);
        name = WatStrings.DecodeName(_r.SourceSpan, _r.Expect(WatTokenKind.String), _scratch);
        _r.ExpectRightParen();
        return true;
    }

    /// <summary><c>(export "name")*</c> written inside the definition of the entity with this index.</summary>
    private void EncodeInlineExports(ExternalKind kind, uint index)
    {
        while (_r.TryField("export"))
        {
            var name = WatStrings.DecodeName(_r.SourceSpan, _r.Expect(WatTokenKind.String), _scratch);
            _r.ExpectRightParen();
            WriteExport(name, kind, index);
        }
    }

    private void WriteExport(byte[] name, ExternalKind kind, uint index)
    {
        _exportSection.WriteVector(name);
        _exportSection.WriteByte((byte)kind);
        _exportSection.WriteU32(index);
        _exportCount++;
    }

    private void EncodeFunction(uint index)
    {
        OptionalId();
        EncodeInlineExports(ExternalKind.Function, index);
        if (TryInlineImport(out var module, out var name))
        {
            var imported = ParseTypeUse(allowNames: true, paramNames: null, forBlock: false);
            _r.ExpectRightParen();
            BeginImport(module, name, ExternalKind.Function);
            _importSection.WriteU32(imported.Index);
            return;
        }
        _paramNames.Clear();
        var use = ParseTypeUse(allowNames: true, paramNames: _paramNames, forBlock: false);
        _functionSection.WriteU32(use.Index);
        _functionCount++;
        EncodeBody(use.ParamCount);
    }

    private void EncodeTable(uint index)
    {
        OptionalId();
        EncodeInlineExports(ExternalKind.Table, index);
        if (TryInlineImport(out var module, out var name))
        {
            var limits = ParseLimits();
            var type = ParseReferenceType();
            _r.ExpectRightParen();
            BeginImport(module, name, ExternalKind.Table);
            _importSection.WriteByte((byte)type);
            WriteLimits(_importSection, limits);
            return;
        }
        if (IsReferenceTypeKeyword(_r.Peek()))
        {
            // (table reftype (elem ...)) = a table just big enough, and an active segment filling it from 0.
            var type = ParseReferenceType();
            if (!_r.TryField("elem")) throw _r.Unexpected(_r.Peek());
            _items.Clear();
            uint count;
            bool expressions = _r.Peek().Kind == WatTokenKind.LeftParen;
            count = expressions ? ParseElementExpressions() : ParseFunctionIndices();
            _r.ExpectRightParen();
            _r.ExpectRightParen();
            WriteTable(type, new Limits(count, count));
            _offsetExpression.Clear();
            _offsetExpression.WriteByte(0x41);
            _offsetExpression.WriteByte(0);
            _offsetExpression.WriteByte(0x0B);
            WriteElementSegment(ElementMode.Active, index, type, expressions, count);
            return;
        }
        var tableLimits = ParseLimits();
        var elementType = ParseReferenceType();
        _r.ExpectRightParen();
        WriteTable(elementType, tableLimits);
    }

    private void WriteTable(ValueKind type, Limits limits)
    {
        _tableSection.WriteByte((byte)type);
        WriteLimits(_tableSection, limits);
        _tableCount++;
    }

    private void EncodeMemory(uint index)
    {
        OptionalId();
        EncodeInlineExports(ExternalKind.Memory, index);
        if (TryInlineImport(out var module, out var name))
        {
            var limits = ParseLimits();
            _r.ExpectRightParen();
            BeginImport(module, name, ExternalKind.Memory);
            WriteLimits(_importSection, limits);
            return;
        }
        if (_r.TryField("data"))
        {
            // (memory (data "...")) = a memory just big enough, and an active segment filling it from 0.
            _items.Clear();
            while (_r.Peek().Kind == WatTokenKind.String) WatStrings.Decode(_r.SourceSpan, _r.Next(), _items);
            _r.ExpectRightParen();
            _r.ExpectRightParen();
            uint pages = (uint)(((long)_items.Length + MemoryType.PageSize - 1) / MemoryType.PageSize);
            WriteLimits(_memorySection, new Limits(pages, pages));
            _memoryCount++;
            _dataSection.WriteByte(index == 0 ? (byte)0 : (byte)2);
            if (index != 0) _dataSection.WriteU32(index);
            _dataSection.WriteBytes([0x41, 0x00, 0x0B]);
            _dataSection.WriteVector(_items.Span);
            return;
        }
        var memoryLimits = ParseLimits();
        _r.ExpectRightParen();
        WriteLimits(_memorySection, memoryLimits);
        _memoryCount++;
    }

    private void EncodeGlobal(uint index)
    {
        OptionalId();
        EncodeInlineExports(ExternalKind.Global, index);
        if (TryInlineImport(out var module, out var name))
        {
            var (importType, importMutable) = ParseGlobalType();
            _r.ExpectRightParen();
            BeginImport(module, name, ExternalKind.Global);
            _importSection.WriteByte((byte)importType);
            _importSection.WriteByte(importMutable ? (byte)1 : (byte)0);
            return;
        }
        var (type, mutable) = ParseGlobalType();
        _globalSection.WriteByte((byte)type);
        _globalSection.WriteByte(mutable ? (byte)1 : (byte)0);
        ParseExpression(_globalSection);
        _r.ExpectRightParen();
        _globalCount++;
    }

    /// <summary><c>(export "name" (func|table|memory|global x))</c>.</summary>
    private void EncodeExport()
    {
        var name = WatStrings.DecodeName(_r.SourceSpan, _r.Expect(WatTokenKind.String), _scratch);
        _r.ExpectLeftParen();
        var kindToken = _r.Next();
        var space = kindToken.Kind == WatTokenKind.Keyword ? SpaceOf(_r.Text(kindToken)) : null;
        if (space is null) throw _r.Unexpected(kindToken);
        var kind = space == _funcs ? ExternalKind.Function
            : space == _tables ? ExternalKind.Table
            : space == _memories ? ExternalKind.Memory
            : ExternalKind.Global;
        uint index = space.Resolve(_r, _r.Next());
        _r.ExpectRightParen();
        _r.ExpectRightParen();
        WriteExport(name, kind, index);
    }

    private void EncodeStart()
    {
        var token = _r.Peek();
        uint index = _funcs.Resolve(_r, _r.Next());
        _r.ExpectRightParen();
        if (_start is not null) throw _r.Error(token, "multiple start sections");
        _start = index;
    }

    private enum ElementMode : byte { Active, Passive, Declarative }

    /// <summary>
    /// <c>(elem $id? elemlist)</c> passive, <c>(elem $id? declare elemlist)</c>, or active:
    /// <c>(elem $id? (table x)? (offset expr)|(instr) elemlist)</c>, where an active segment's list may also
    /// be bare function indices.
    /// </summary>
    private void EncodeElem()
    {
        OptionalId();
        var mode = ElementMode.Passive;
        uint table = 0;
        if (_r.PeekKeyword("declare"))
        {
            _r.Next();
            mode = ElementMode.Declarative;
        }
        else if (_r.TryField("table"))
        {
            table = _tables.Resolve(_r, _r.Next());
            _r.ExpectRightParen();
            mode = ElementMode.Active;
            ParseOffset();
        }
        else if (_r.Peek().Kind == WatTokenKind.Natural)
        {
            // An older spelling names the table by a bare index.
            table = _tables.Resolve(_r, _r.Next());
            mode = ElementMode.Active;
            ParseOffset();
        }
        else if (_r.Peek().Kind == WatTokenKind.LeftParen)
        {
            mode = ElementMode.Active;
            ParseOffset();
        }

        _items.Clear();
        ValueKind type = ValueKind.FuncRef;
        bool expressions;
        uint count;
        if (_r.PeekKeyword("func"))
        {
            _r.Next();
            expressions = false;
            count = ParseFunctionIndices();
        }
        else if (IsReferenceTypeKeyword(_r.Peek()))
        {
            type = ParseReferenceType();
            expressions = true;
            count = ParseElementExpressions();
        }
        else if (mode == ElementMode.Active)
        {
            expressions = false;
            count = ParseFunctionIndices();
        }
        else
        {
            throw _r.Unexpected(_r.Peek());
        }
        _r.ExpectRightParen();
        WriteElementSegment(mode, table, type, expressions, count);
    }

    private uint ParseFunctionIndices()
    {
        uint count = 0;
        while (IndexSpace.IsIndex(_r.Peek()))
        {
            _items.WriteU32(_funcs.Resolve(_r, _r.Next()));
            count++;
        }
        return count;
    }

    /// <summary>Element expressions: <c>(item instr*)</c> or one folded instruction each.</summary>
    private uint ParseElementExpressions()
    {
        uint count = 0;
        while (_r.Peek().Kind == WatTokenKind.LeftParen)
        {
            if (_r.TryField("item"))
            {
                ParseExpression(_items);
                _r.ExpectRightParen();
            }
            else
            {
                BeginConstantExpression(_items);
                ParseFoldedInstruction();
                _items.WriteByte(0x0B);
            }
            count++;
        }
        return count;
    }

    /// <summary>The binary's eight element segment forms (flags 0 to 7), chosen to be the most compact that fits.</summary>
    private void WriteElementSegment(ElementMode mode, uint table, ValueKind type, bool expressions, uint count)
    {
        var s = _elementSection;
        byte flags = mode switch
        {
            ElementMode.Passive => 1,
            ElementMode.Declarative => 3,
            _ => table == 0 && type == ValueKind.FuncRef ? (byte)0 : (byte)2,
        };
        if (expressions) flags |= 4;
        s.WriteByte(flags);
        if (mode == ElementMode.Active)
        {
            if ((flags & 2) != 0) s.WriteU32(table);
            s.WriteBytes(_offsetExpression.Span);
        }
        if (mode != ElementMode.Active || (flags & 2) != 0)
            s.WriteByte(expressions ? (byte)type : (byte)0x00); // reftype, or elemkind 0x00 (funcref)
        s.WriteU32(count);
        s.WriteBytes(_items.Span);
    }

    /// <summary>
    /// <c>(data $id? string*)</c> passive, or active: <c>(data $id? (memory x)? (offset expr)|(instr) string*)</c>.
    /// </summary>
    private void EncodeData()
    {
        OptionalId();
        bool active = true;
        uint memory = 0;
        if (_r.TryField("memory"))
        {
            memory = _memories.Resolve(_r, _r.Next());
            _r.ExpectRightParen();
            ParseOffset();
        }
        else if (_r.Peek().Kind == WatTokenKind.Natural)
        {
            // An older spelling names the memory by a bare index.
            memory = _memories.Resolve(_r, _r.Next());
            ParseOffset();
        }
        else if (_r.Peek().Kind == WatTokenKind.LeftParen)
        {
            ParseOffset();
        }
        else
        {
            active = false;
        }
        _items.Clear();
        while (_r.Peek().Kind == WatTokenKind.String) WatStrings.Decode(_r.SourceSpan, _r.Next(), _items);
        _r.ExpectRightParen();

        var s = _dataSection;
        if (!active) s.WriteByte(1);
        else if (memory == 0) s.WriteByte(0);
        else
        {
            s.WriteByte(2);
            s.WriteU32(memory);
        }
        if (active) s.WriteBytes(_offsetExpression.Span);
        s.WriteVector(_items.Span);
    }

    /// <summary><c>(offset instr*)</c> or a single folded instruction, into <see cref="_offsetExpression"/>.</summary>
    private void ParseOffset()
    {
        if (_r.TryField("offset"))
        {
            _offsetExpression.Clear();
            ParseExpression(_offsetExpression);
            _r.ExpectRightParen();
            return;
        }
        _offsetExpression.Clear();
        BeginConstantExpression(_offsetExpression);
        ParseFoldedInstruction();
        _offsetExpression.WriteByte(0x0B);
    }

    // ---- Types ---------------------------------------------------------------------------------------------

    private bool IsReferenceTypeKeyword(WatToken token) =>
        _r.IsKeyword(token, "funcref") || _r.IsKeyword(token, "externref");

    private ValueKind ParseValueType()
    {
        var token = _r.Next();
        if (token.Kind == WatTokenKind.Keyword)
        {
            switch (_r.Text(token))
            {
                case "i32": return ValueKind.I32;
                case "i64": return ValueKind.I64;
                case "f32": return ValueKind.F32;
                case "f64": return ValueKind.F64;
                case "v128": return ValueKind.V128;
                case "funcref": return ValueKind.FuncRef;
                case "externref": return ValueKind.ExternRef;
            }
        }
        throw _r.Unexpected(token);
    }

    private ValueKind ParseReferenceType()
    {
        var token = _r.Next();
        if (_r.IsKeyword(token, "funcref")) return ValueKind.FuncRef;
        if (_r.IsKeyword(token, "externref")) return ValueKind.ExternRef;
        throw _r.Unexpected(token);
    }

    private (ValueKind Type, bool Mutable) ParseGlobalType()
    {
        if (_r.TryField("mut"))
        {
            var type = ParseValueType();
            _r.ExpectRightParen();
            return (type, true);
        }
        return (ParseValueType(), false);
    }

    private Limits ParseLimits()
    {
        uint min = ParseU32(_r.Expect(WatTokenKind.Natural));
        uint? max = _r.Peek().Kind == WatTokenKind.Natural ? ParseU32(_r.Next()) : null;
        return new Limits(min, max);
    }

    private uint ParseU32(WatToken token)
    {
        if (!WatNumbers.TryParseUnsigned(_r.Text(token), uint.MaxValue, out ulong value))
            throw _r.Error(token, "i32 constant out of range");
        return (uint)value;
    }

    private static void WriteLimits(ByteBuffer s, Limits limits)
    {
        s.WriteByte(limits.Maximum is null ? (byte)0 : (byte)1);
        s.WriteU32(limits.Minimum);
        if (limits.Maximum is uint max) s.WriteU32(max);
    }

    private void ParseResults(List<ValueKind> results)
    {
        while (_r.TryField("result"))
        {
            while (_r.Peek().Kind != WatTokenKind.RightParen) results.Add(ParseValueType());
            _r.ExpectRightParen();
        }
    }

    private readonly List<ValueKind> _params = [];
    private readonly List<ValueKind> _results = [];

    /// <summary>What a type use denotes: a type index, or (for a block type only) the one-byte empty or value type.</summary>
    private readonly record struct TypeUse(uint Index, int ParamCount, byte ShortBlockType);

    /// <summary>
    /// <c>(type x)? (param ...)* (result ...)*</c>. With only inline parameters and results, the index is that of
    /// the first type with that signature, appended if there is none. With both, they must agree.
    /// </summary>
    private TypeUse ParseTypeUse(bool allowNames, List<WatToken>? paramNames, bool forBlock)
    {
        WatToken typeToken = default;
        uint? explicitIndex = null;
        if (_r.TryField("type"))
        {
            typeToken = _r.Next();
            explicitIndex = _types.Resolve(_r, typeToken);
            _r.ExpectRightParen();
        }
        _params.Clear();
        _results.Clear();
        bool inline = false;
        while (_r.TryField("param"))
        {
            inline = true;
            if (_r.Peek().Kind == WatTokenKind.Identifier)
            {
                var id = _r.Next();
                if (!allowNames) throw _r.Unexpected(id);
                _params.Add(ParseValueType());
                paramNames?.Add(id);
            }
            else
            {
                while (_r.Peek().Kind != WatTokenKind.RightParen)
                {
                    _params.Add(ParseValueType());
                    paramNames?.Add(default);
                }
            }
            _r.ExpectRightParen();
        }
        if (_r.PeekField("result")) inline = true;
        ParseResults(_results);
        // Out-of-order clauses are a syntax error, reported before any check of what the clauses mean.
        if (_r.PeekField("param") || _r.PeekField("type")) throw _r.Unexpected(_r.PeekSecond());

        if (explicitIndex is uint index)
        {
            if (inline)
            {
                if (index >= _typeList.Count) throw _r.Error(typeToken, "unknown type");
                var type = _typeList[(int)index];
                if (!type.Parameters.SequenceEqual(_params) || !type.Results.SequenceEqual(_results))
                    throw _r.Error(typeToken, "inline function type");
            }
            int count = index < _typeList.Count ? _typeList[(int)index].Parameters.Count : 0;
            return new TypeUse(index, count, 0);
        }
        if (forBlock && _params.Count == 0 && _results.Count <= 1)
            return new TypeUse(0, 0, _results.Count == 0 ? (byte)0x40 : (byte)_results[0]);
        return new TypeUse(FindOrAddType(), _params.Count, 0);
    }

    private uint FindOrAddType()
    {
        var type = new FunctionType(_params, _results);
        if (_firstTypeIndex.TryGetValue(type, out uint index)) return index;
        index = (uint)_typeList.Count;
        _typeList.Add(type);
        _firstTypeIndex.Add(type, index);
        return index;
    }

    // ---- Function bodies -----------------------------------------------------------------------------------

    private readonly List<WatToken> _paramNames = [];
    private readonly ByteBuffer _body = new(256);
    private readonly ByteBuffer _entry = new(256);
    private readonly List<ValueKind> _localTypes = [];

    /// <summary><c>local* instr*</c> and the function's closing parenthesis, after its type use.</summary>
    private void EncodeBody(int paramCount)
    {
        BeginFunction(paramCount, _paramNames);
        _localTypes.Clear();
        while (_r.TryField("local"))
        {
            if (_r.Peek().Kind == WatTokenKind.Identifier)
            {
                var id = _r.Next();
                DefineLocal(id);
                _localTypes.Add(ParseValueType());
            }
            else
            {
                while (_r.Peek().Kind != WatTokenKind.RightParen)
                {
                    DefineLocal(default);
                    _localTypes.Add(ParseValueType());
                }
            }
            _r.ExpectRightParen();
        }
        _body.Clear();
        BeginExpression(_body);
        ParseInstructions();
        _r.ExpectRightParen();
        _body.WriteByte(0x0B);

        _entry.Clear();
        WriteLocals(_entry, _localTypes);
        _entry.WriteBytes(_body.Span);
        _codeSection.WriteU32((uint)_entry.Length);
        _codeSection.WriteBytes(_entry.Span);
    }

    /// <summary>Locals as runs of equal types, the binary format's compressed form.</summary>
    private static void WriteLocals(ByteBuffer s, List<ValueKind> types)
    {
        uint runs = 0;
        for (int i = 0; i < types.Count; i++)
            if (i == 0 || types[i] != types[i - 1]) runs++;
        s.WriteU32(runs);
        for (int i = 0; i < types.Count;)
        {
            int j = i;
            while (j < types.Count && types[j] == types[i]) j++;
            s.WriteU32((uint)(j - i));
            s.WriteByte((byte)types[i]);
            i = j;
        }
    }

    // ---- Assembly ------------------------------------------------------------------------------------------

    private byte[] Assemble()
    {
        var m = new ByteBuffer(1024);
        m.WriteBytes([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);

        if (_typeList.Count > 0)
        {
            _scratch.Clear();
            foreach (var type in _typeList)
            {
                _scratch.WriteByte(0x60);
                _scratch.WriteU32((uint)type.Parameters.Count);
                foreach (var p in type.Parameters) _scratch.WriteByte((byte)p);
                _scratch.WriteU32((uint)type.Results.Count);
                foreach (var r in type.Results) _scratch.WriteByte((byte)r);
            }
            WriteSection(m, 1, (uint)_typeList.Count, _scratch);
        }
        WriteSection(m, 2, _importCount, _importSection);
        WriteSection(m, 3, _functionCount, _functionSection);
        WriteSection(m, 4, _tableCount, _tableSection);
        WriteSection(m, 5, _memoryCount, _memorySection);
        WriteSection(m, 6, _globalCount, _globalSection);
        WriteSection(m, 7, _exportCount, _exportSection);
        if (_start is uint start)
        {
            _scratch.Clear();
            _scratch.WriteU32(start);
            WriteSection(m, 8, null, _scratch);
        }
        WriteSection(m, 9, _elems.Count, _elementSection);
        if (_datas.Count > 0 || _usesDataCount)
        {
            _scratch.Clear();
            _scratch.WriteU32(_datas.Count);
            WriteSection(m, 12, null, _scratch);
        }
        WriteSection(m, 10, _functionCount, _codeSection);
        WriteSection(m, 11, _datas.Count, _dataSection);
        WriteNameSection(m);
        return m.ToArray();
    }

    private static void WriteSection(ByteBuffer m, byte id, uint? count, ByteBuffer content)
    {
        if (count == 0) return;
        m.WriteByte(id);
        uint size = (uint)content.Length + (count is uint c ? LebSize(c) : 0);
        m.WriteU32(size);
        if (count is uint n) m.WriteU32(n);
        m.WriteBytes(content.Span);
    }

    private static uint LebSize(uint value)
    {
        uint size = 1;
        while ((value >>= 7) != 0) size++;
        return size;
    }

    /// <summary>The "name" custom section with function names, so backtraces can show the text's identifiers.</summary>
    private void WriteNameSection(ByteBuffer m)
    {
        if (_functionNames.Count == 0) return;
        var map = new ByteBuffer(256);
        map.WriteU32((uint)_functionNames.Count);
        foreach (var (index, id) in _functionNames)
        {
            map.WriteU32(index);
            var name = _r.Text(id).Slice(1); // identifiers are ASCII, so one byte per character
            map.WriteU32((uint)name.Length);
            foreach (char c in name) map.WriteByte((byte)c);
        }
        var content = new ByteBuffer(map.Length + 16);
        content.WriteVector("name"u8);
        content.WriteByte(1); // function names subsection
        content.WriteU32((uint)map.Length);
        content.WriteBytes(map.Span);
        WriteSection(m, 0, null, content);
    }
}
