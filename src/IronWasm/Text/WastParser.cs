using System.Runtime.Intrinsics;
using System.Text;

namespace IronWasm.Text;

/// <summary>The script format of the spec test suite (.wast): modules, actions and assertions.</summary>
internal static class WastParser
{
    /// <summary>Parses a script. Throws <see cref="WasmFormatException"/> for a malformed script; a text module
    /// that is itself malformed does not fail the script, its error is kept in <see cref="WastModuleSource.TextError"/>.</summary>
    public static WastScript Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new WastScript(fileName, new ScriptReader(text).ParseCommands());
    }

    private sealed class ScriptReader(string text)
    {
        private readonly WatReader _r = new(text);
        private readonly ByteBuffer _scratch = new();
        private int _lineOffset, _line = 1;

        public List<WastCommand> ParseCommands()
        {
            var commands = new List<WastCommand>();
            if (StartsWithModuleField())
            {
                // A script may be just the fields of one module (spec: script ::= cmd* | modulefield+).
                int line = LineOf(_r.Peek().Start);
                commands.Add(new WastModuleCommand(line, ParseModuleFields(name: null, closed: false)));
                _r.Expect(WatTokenKind.EndOfInput);
                return commands;
            }
            while (_r.Peek().Kind != WatTokenKind.EndOfInput)
                commands.Add(ParseCommand());
            return commands;
        }

        private bool StartsWithModuleField() =>
            _r.PeekFieldKeyword() is "type" or "import" or "func" or "table" or "memory" or "global" or "export"
                or "start" or "elem" or "data";

        private WastCommand ParseCommand()
        {
            var open = _r.Expect(WatTokenKind.LeftParen);
            int line = LineOf(open.Start);
            var keyword = _r.Next();
            if (keyword.Kind != WatTokenKind.Keyword) throw _r.Unexpected(keyword);
            WastCommand command;
            switch (_r.Text(keyword))
            {
                case "module":
                    return new WastModuleCommand(line, ParseModuleAfterKeyword());
                case "register":
                {
                    string name = ParseString();
                    string? module = OptionalName();
                    command = new WastRegister(line, name, module);
                    break;
                }
                case "invoke" or "get":
                    command = new WastActionCommand(line, ParseActionAfterKeyword(keyword));
                    break;
                case "assert_return":
                {
                    var action = ParseAction();
                    var expected = new List<WastExpected>();
                    while (_r.Peek().Kind == WatTokenKind.LeftParen) expected.Add(ParseExpected());
                    command = new WastAssertReturn(line, action, expected);
                    break;
                }
                case "assert_trap":
                    if (_r.TryField("module"))
                    {
                        var module = ParseModuleAfterKeyword();
                        command = new WastAssertTrap(line, null, module, ParseString());
                    }
                    else
                    {
                        var action = ParseAction();
                        command = new WastAssertTrap(line, action, null, ParseString());
                    }
                    break;
                case "assert_exhaustion":
                {
                    var action = ParseAction();
                    command = new WastAssertExhaustion(line, action, ParseString());
                    break;
                }
                case "assert_invalid":
                {
                    var module = ExpectModule();
                    command = new WastAssertInvalid(line, module, ParseString());
                    break;
                }
                case "assert_malformed":
                {
                    var module = ExpectModule();
                    command = new WastAssertMalformed(line, module, ParseString());
                    break;
                }
                case "assert_unlinkable":
                {
                    var module = ExpectModule();
                    command = new WastAssertUnlinkable(line, module, ParseString());
                    break;
                }
                case "assert_uninstantiable":
                {
                    var module = ExpectModule();
                    command = new WastAssertUninstantiable(line, module, ParseString());
                    break;
                }
                default:
                    throw _r.Unexpected(keyword);
            }
            _r.ExpectRightParen();
            return command;
        }

        private WastModuleSource ExpectModule()
        {
            if (!_r.TryField("module")) throw _r.Unexpected(_r.Peek());
            return ParseModuleAfterKeyword();
        }

        /// <summary>After <c>(module</c>: <c>$id? binary "..."*</c>, <c>$id? quote "..."*</c> or <c>$id? field*</c>, and the <c>)</c>.</summary>
        private WastModuleSource ParseModuleAfterKeyword()
        {
            string? name = OptionalName();
            if (_r.PeekKeyword("binary"))
            {
                _r.Next();
                byte[] bytes = ConcatenateStrings();
                _r.ExpectRightParen();
                return new WastModuleSource(name, bytes, null, null);
            }
            if (_r.PeekKeyword("quote"))
            {
                _r.Next();
                string quoted = Encoding.UTF8.GetString(ConcatenateStrings());
                _r.ExpectRightParen();
                return new WastModuleSource(name, null, quoted, null);
            }
            return ParseModuleFields(name, closed: true);
        }

        private WastModuleSource ParseModuleFields(string? name, bool closed)
        {
            int start = _r.Position;
            try
            {
                byte[] binary = WatModuleParser.ParseFields(_r);
                if (closed) _r.ExpectRightParen();
                return new WastModuleSource(name, binary, null, null);
            }
            catch (WasmFormatException error)
            {
                _r.Reset(start);
                if (closed) _r.SkipToClose();
                else _r.Reset(text.Length);
                return new WastModuleSource(name, null, null, error);
            }
        }

        private byte[] ConcatenateStrings()
        {
            _scratch.Clear();
            while (_r.Peek().Kind == WatTokenKind.String) WatStrings.Decode(_r.SourceSpan, _r.Next(), _scratch);
            return _scratch.ToArray();
        }

        private WastAction ParseAction()
        {
            _r.ExpectLeftParen();
            var keyword = _r.Next();
            var action = ParseActionAfterKeyword(keyword);
            _r.ExpectRightParen();
            return action;
        }

        /// <summary><c>invoke $id? "name" const*</c> or <c>get $id? "name"</c>, without the closing parenthesis.</summary>
        private WastAction ParseActionAfterKeyword(WatToken keyword)
        {
            if (_r.IsKeyword(keyword, "invoke"))
            {
                string? module = OptionalName();
                string name = ParseString();
                var arguments = new List<WastValue>();
                while (_r.Peek().Kind == WatTokenKind.LeftParen) arguments.Add(ParseArgument());
                return new WastInvoke(module, name, arguments);
            }
            if (_r.IsKeyword(keyword, "get"))
            {
                string? module = OptionalName();
                return new WastGet(module, ParseString());
            }
            throw _r.Unexpected(keyword);
        }

        private WastValue ParseArgument()
        {
            _r.ExpectLeftParen();
            var keyword = _r.Next();
            WastValue value;
            switch (keyword.Kind == WatTokenKind.Keyword ? _r.Text(keyword) : default)
            {
                case "i32.const": value = Scalar(ValueKind.I32, ParseInteger(32)); break;
                case "i64.const": value = Scalar(ValueKind.I64, ParseInteger(64)); break;
                case "f32.const": value = Scalar(ValueKind.F32, ParseFloat(WatNumbers.Single)); break;
                case "f64.const": value = Scalar(ValueKind.F64, ParseFloat(WatNumbers.Double)); break;
                case "v128.const":
                {
                    Span<byte> bytes = stackalloc byte[16];
                    WatModuleParser.ParseVectorLanes(_r, bytes);
                    value = new WastValue(ValueKind.V128, 0, Vector128.Create((ReadOnlySpan<byte>)bytes), false, 0);
                    break;
                }
                case "ref.null":
                    value = new WastValue(ParseHeapType(), 0, default, true, 0);
                    break;
                case "ref.extern":
                    value = new WastValue(ValueKind.ExternRef, 0, default, false, ParseU32());
                    break;
                default:
                    throw _r.Unexpected(keyword);
            }
            _r.ExpectRightParen();
            return value;
        }

        private static WastValue Scalar(ValueKind kind, ulong bits) => new(kind, bits, default, false, 0);

        private WastExpected ParseExpected()
        {
            _r.ExpectLeftParen();
            var keyword = _r.Next();
            WastExpected expected;
            switch (keyword.Kind == WatTokenKind.Keyword ? _r.Text(keyword) : default)
            {
                case "i32.const": expected = Concrete(ValueKind.I32, ParseInteger(32)); break;
                case "i64.const": expected = Concrete(ValueKind.I64, ParseInteger(64)); break;
                case "f32.const": expected = ExpectedFloat(ValueKind.F32, WatNumbers.Single); break;
                case "f64.const": expected = ExpectedFloat(ValueKind.F64, WatNumbers.Double); break;
                case "v128.const": expected = ExpectedVector(); break;
                case "ref.null":
                    expected = new WastExpected(ParseHeapType(), 0, WastNaN.None, null, null, null, true, false, null);
                    break;
                case "ref.extern":
                    expected = new WastExpected(ValueKind.ExternRef, 0, WastNaN.None, null, null, null, false, false, ParseU32());
                    break;
                case "ref.func":
                    if (_r.Peek().Kind == WatTokenKind.Natural) _r.Next(); // an index, when given, is not observable
                    expected = new WastExpected(ValueKind.FuncRef, 0, WastNaN.None, null, null, null, false, true, null);
                    break;
                default:
                    throw _r.Unexpected(keyword);
            }
            _r.ExpectRightParen();
            return expected;
        }

        private static WastExpected Concrete(ValueKind kind, ulong bits) =>
            new(kind, bits, WastNaN.None, null, null, null, false, false, null);

        private WastExpected ExpectedFloat(ValueKind kind, WatNumbers.FloatFormat format)
        {
            var nan = ParseNaNPattern();
            return nan != WastNaN.None
                ? new WastExpected(kind, 0, nan, null, null, null, false, false, null)
                : Concrete(kind, ParseFloat(format));
        }

        private WastNaN ParseNaNPattern()
        {
            var token = _r.Peek();
            if (_r.IsKeyword(token, "nan:canonical")) { _r.Next(); return WastNaN.Canonical; }
            if (_r.IsKeyword(token, "nan:arithmetic")) { _r.Next(); return WastNaN.Arithmetic; }
            return WastNaN.None;
        }

        private WastExpected ExpectedVector()
        {
            var shapeToken = _r.Next();
            var shape = shapeToken.Kind == WatTokenKind.Keyword ? VectorShape.Parse(_r.Text(shapeToken)) : null;
            if (shape is null) throw _r.Unexpected(shapeToken);
            var lanes = new ulong[shape.Lanes];
            var patterns = new WastNaN[shape.Lanes];
            for (int i = 0; i < lanes.Length; i++)
            {
                if (shape.IsFloat && (patterns[i] = ParseNaNPattern()) != WastNaN.None) continue;
                var token = _r.Peek();
                if (!token.IsNumber) throw _r.Error(token, "wrong number of lane literals");
                if (shape.IsFloat)
                {
                    lanes[i] = ParseFloat(shape.Format);
                }
                else
                {
                    if (token.Kind == WatTokenKind.Float) throw _r.Unexpected(token);
                    lanes[i] = ParseInteger(shape.LaneBits);
                }
            }
            return new WastExpected(ValueKind.V128, 0, WastNaN.None, shape.Name, lanes, patterns, false, false, null);
        }

        private ValueKind ParseHeapType()
        {
            var token = _r.Next();
            if (_r.IsKeyword(token, "func")) return ValueKind.FuncRef;
            if (_r.IsKeyword(token, "extern")) return ValueKind.ExternRef;
            throw _r.Unexpected(token);
        }

        private ulong ParseInteger(int bits)
        {
            var token = _r.Next();
            if (token.Kind is not (WatTokenKind.Natural or WatTokenKind.Integer)) throw _r.Unexpected(token);
            if (WatNumbers.ParseInteger(_r.Text(token), bits, out ulong value) != WatNumbers.Result.Ok)
                throw _r.Error(token, "constant out of range");
            return value;
        }

        private ulong ParseFloat(WatNumbers.FloatFormat format)
        {
            var token = _r.Next();
            if (!token.IsNumber) throw _r.Unexpected(token);
            if (WatNumbers.ParseFloat(_r.Text(token), format, out ulong bits) != WatNumbers.Result.Ok)
                throw _r.Error(token, "constant out of range");
            return bits;
        }

        private uint ParseU32()
        {
            var token = _r.Expect(WatTokenKind.Natural);
            if (!WatNumbers.TryParseUnsigned(_r.Text(token), uint.MaxValue, out ulong value))
                throw _r.Error(token, "i32 constant out of range");
            return (uint)value;
        }

        private string ParseString()
        {
            var token = _r.Expect(WatTokenKind.String);
            _scratch.Clear();
            WatStrings.Decode(_r.SourceSpan, token, _scratch);
            return Encoding.UTF8.GetString(_scratch.Span);
        }

        private string? OptionalName() =>
            _r.Peek().Kind == WatTokenKind.Identifier ? _r.Text(_r.Next()).ToString() : null;

        /// <summary>The 1-based line of an offset; commands come in text order, so counting goes forward from the last one.</summary>
        private int LineOf(int offset)
        {
            if (offset < _lineOffset)
            {
                _lineOffset = 0;
                _line = 1;
            }
            _line += text.AsSpan(_lineOffset, offset - _lineOffset).Count('\n');
            _lineOffset = offset;
            return _line;
        }
    }
}
