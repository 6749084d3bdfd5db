namespace IronWasm.Components.Wit;

/// <summary>Recursive-descent parser for one WIT file (the grammar of WIT.md). Trailing commas
/// are accepted in every comma-separated list, as wit-parser does.</summary>
internal sealed class WitParser
{
    internal const uint MaxFixedListLength = 65536;

    private readonly List<WitToken> _tokens;
    private readonly string _file;
    private int _index;

    private WitParser(List<WitToken> tokens, string file)
    {
        _tokens = tokens;
        _file = file;
    }

    /// <summary>Parses one file. <paramref name="fileName"/> is used in error positions only.</summary>
    /// <exception cref="WitException">The text is not valid WIT syntax.</exception>
    public static WitDocumentSyntax Parse(string text, string fileName) =>
        new WitParser(WitLexer.Tokenize(text, fileName), fileName).ParseDocument();

    private WitToken Current => _tokens[_index];

    private WitToken PeekAt(int ahead) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private WitToken Advance() => _tokens[_index < _tokens.Count - 1 ? _index++ : _index];

    private bool At(WitTokenKind kind) => Current.Kind == kind;

    private bool AtKeyword(string keyword) => Current.IsKeyword(keyword);

    private bool Accept(WitTokenKind kind)
    {
        if (!At(kind)) return false;
        Advance();
        return true;
    }

    private bool AcceptKeyword(string keyword)
    {
        if (!AtKeyword(keyword)) return false;
        Advance();
        return true;
    }

    private WitToken Expect(WitTokenKind kind, string what)
    {
        if (!At(kind)) throw Unexpected(what);
        return Advance();
    }

    private void ExpectKeyword(string keyword)
    {
        if (!AtKeyword(keyword)) throw Unexpected($"`{keyword}`");
        Advance();
    }

    private WitException Unexpected(string expected) => Current.Position.Error($"expected {expected}, found {Current.Describe()}");

    private string ExpectIdentifier(string what = "an identifier")
    {
        if (At(WitTokenKind.Keyword))
            throw Current.Position.Error($"expected {what}, found keyword `{Current.Text}` (write `%{Current.Text}` to use it as a name)");
        return Expect(WitTokenKind.Identifier, what).Text;
    }

    // ---- files and packages ----

    private WitDocumentSyntax ParseDocument()
    {
        WitPackageBodySyntax root;
        // A leading `package x;` names the file's package; `package x {` starts a nested package.
        if (AtKeyword("package") && !IsNestedPackageAhead())
        {
            var docs = Current.Docs;
            Advance();
            var name = ParsePackageName();
            Expect(WitTokenKind.Semicolon, "`;`");
            root = new WitPackageBodySyntax { Package = name, IsNested = false, Docs = docs };
        }
        else
        {
            root = new WitPackageBodySyntax { Package = null, IsNested = false };
        }
        var document = new WitDocumentSyntax { File = _file, Root = root };

        while (!At(WitTokenKind.EndOfFile))
        {
            if (AtKeyword("package"))
            {
                if (!IsNestedPackageAhead())
                    throw Current.Position.Error("`package x;` must be the first item of the file");
                var docs = Current.Docs;
                Advance();
                var name = ParsePackageName();
                Expect(WitTokenKind.LeftBrace, "`{`");
                var body = new WitPackageBodySyntax { Package = name, IsNested = true, Docs = docs };
                while (!Accept(WitTokenKind.RightBrace))
                {
                    if (At(WitTokenKind.EndOfFile)) throw Unexpected("`}`");
                    if (AtKeyword("package")) throw Current.Position.Error("packages cannot be nested inside packages");
                    ParsePackageItem(body);
                }
                document.NestedPackages.Add(body);
            }
            else
            {
                ParsePackageItem(root);
            }
        }
        return document;
    }

    private bool IsNestedPackageAhead()
    {
        // package ns:name(@version)? {
        for (var i = 1; i < 12; i++)
        {
            var t = PeekAt(i);
            if (t.Kind == WitTokenKind.LeftBrace) return true;
            if (t.Kind is WitTokenKind.Semicolon or WitTokenKind.EndOfFile) return false;
        }
        return false;
    }

    private WitPackageNameSyntax ParsePackageName()
    {
        var position = Current.Position;
        var ns = ExpectIdentifier("a package namespace");
        Expect(WitTokenKind.Colon, "`:` in the package name");
        var name = ExpectIdentifier("a package name");
        if (At(WitTokenKind.Colon) || At(WitTokenKind.Slash))
            throw Current.Position.Error("nested namespaces and packages (`a:b:c`, `a:b/c` package names) are not supported");
        var version = Accept(WitTokenKind.At) ? ParseVersion() : null;
        return new WitPackageNameSyntax(ns, name, version, position);
    }

    private string ParseVersion()
    {
        var token = Expect(WitTokenKind.Number, "a semantic version");
        if (!WitSemver.IsValid(token.Text))
            throw token.Position.Error($"`{token.Text}` is not a valid semantic version (major.minor.patch[-pre][+build])");
        return token.Text;
    }

    private void ParsePackageItem(WitPackageBodySyntax body)
    {
        if (AtKeyword("use"))
        {
            var position = Current.Position;
            Advance();
            var path = ParseUsePath();
            string? alias = AcceptKeyword("as") ? ExpectIdentifier() : null;
            Expect(WitTokenKind.Semicolon, "`;`");
            body.Uses.Add(new WitTopLevelUseSyntax(path, alias, position));
            return;
        }
        var prefix = ParsePrefix(allowExternalId: false);
        var itemPosition = Current.Position;
        if (AcceptKeyword("interface"))
        {
            var name = ExpectIdentifier("an interface name");
            body.Interfaces.Add(new WitInterfaceSyntax(name, ParseInterfaceBody(), prefix.Prefix, prefix.Position ?? itemPosition));
        }
        else if (AcceptKeyword("world"))
        {
            var name = ExpectIdentifier("a world name");
            body.Worlds.Add(new WitWorldSyntax(name, ParseWorldBody(), prefix.Prefix, prefix.Position ?? itemPosition));
        }
        else
        {
            throw Unexpected("`interface`, `world`, `use` or `package`");
        }
    }

    private WitUsePathSyntax ParseUsePath()
    {
        var position = Current.Position;
        var first = ExpectIdentifier("an interface name");
        if (!Accept(WitTokenKind.Colon)) return new WitUsePathSyntax(null, first, position);
        var package = ExpectIdentifier("a package name");
        if (At(WitTokenKind.Colon)) throw Current.Position.Error("nested namespaces (`a:b:c`) are not supported");
        Expect(WitTokenKind.Slash, "`/` and an interface name");
        var name = ExpectIdentifier("an interface name");
        if (At(WitTokenKind.Slash)) throw Current.Position.Error("nested packages (`a:b/c/d`) are not supported");
        var version = Accept(WitTokenKind.At) ? ParseVersion() : null;
        return new WitUsePathSyntax(new WitPackageNameSyntax(first, package, version, position), name, position);
    }

    // ---- docs, gates, external ids ----

    private readonly record struct PrefixResult(WitItemPrefix Prefix, WitSourcePosition? Position);

    private PrefixResult ParsePrefix(bool allowExternalId)
    {
        string? docs = Current.Docs;
        WitSourcePosition? start = null;
        string? since = null, unstable = null, deprecated = null, externalId = null;
        WitSourcePosition? gatePosition = null;
        while (At(WitTokenKind.At))
        {
            var at = Advance();
            start ??= at.Position;
            var nameToken = Current;
            var name = ExpectIdentifier("`since`, `unstable`, `deprecated` or `external-id`");
            Expect(WitTokenKind.LeftParen, "`(`");
            switch (name)
            {
                case "since":
                case "deprecated":
                {
                    var field = Current;
                    if (ExpectIdentifier("`version`") != "version") throw field.Position.Error("expected `version`");
                    Expect(WitTokenKind.Equals, "`=`");
                    var version = ParseVersion();
                    if ((name == "since" ? since : deprecated) is not null)
                        throw at.Position.Error($"duplicate `@{name}` gate");
                    if (name == "since") since = version; else deprecated = version;
                    gatePosition ??= at.Position;
                    break;
                }
                case "unstable":
                {
                    var field = Current;
                    if (ExpectIdentifier("`feature`") != "feature") throw field.Position.Error("expected `feature`");
                    Expect(WitTokenKind.Equals, "`=`");
                    var feature = ExpectIdentifier("a feature name");
                    if (unstable is not null) throw at.Position.Error("duplicate `@unstable` gate");
                    unstable = feature;
                    gatePosition ??= at.Position;
                    break;
                }
                case "external-id":
                {
                    if (!allowExternalId) throw at.Position.Error("`@external-id` is not allowed here");
                    if (externalId is not null) throw at.Position.Error("duplicate `@external-id`");
                    externalId = Expect(WitTokenKind.String, "a string literal").Text;
                    break;
                }
                default:
                    throw nameToken.Position.Error($"unknown annotation `@{name}` (expected `since`, `unstable`, `deprecated` or `external-id`)");
            }
            Expect(WitTokenKind.RightParen, "`)`");
            if (Current.Docs is { } more) docs = docs is null ? more : docs + "\n" + more;
        }
        WitGateSyntax? gate = null;
        if (gatePosition is { } gp)
        {
            if (since is not null && unstable is not null)
                throw gp.Error("an item cannot be both `@since` and `@unstable`");
            if (deprecated is not null && since is null)
                throw gp.Error("`@deprecated` requires a `@since` gate on the same item");
            gate = new WitGateSyntax(since, unstable, deprecated, gp);
        }
        return new PrefixResult(new WitItemPrefix(docs, gate, externalId), start);
    }

    // ---- interfaces ----

    private List<WitItemSyntax> ParseInterfaceBody()
    {
        Expect(WitTokenKind.LeftBrace, "`{`");
        var items = new List<WitItemSyntax>();
        while (!Accept(WitTokenKind.RightBrace))
        {
            if (At(WitTokenKind.EndOfFile)) throw Unexpected("`}`");
            var prefix = ParsePrefix(allowExternalId: true);
            var position = prefix.Position ?? Current.Position;
            if (AtKeyword("use"))
            {
                if (prefix.Prefix.ExternalId is not null) throw position.Error("`@external-id` is not allowed on `use`");
                items.Add(ParseUse(prefix.Prefix, position));
            }
            else if (TryParseTypeDef(prefix.Prefix, position) is { } typeDef) items.Add(typeDef);
            else if (At(WitTokenKind.Identifier))
            {
                var name = Advance().Text;
                Expect(WitTokenKind.Colon, "`:`");
                var type = ParseFuncType();
                Expect(WitTokenKind.Semicolon, "`;`");
                items.Add(new WitFuncItemSyntax(name, type, prefix.Prefix, position));
            }
            else throw Unexpected("a type definition, a function, `use` or `}`");
        }
        return items;
    }

    private WitUseSyntax ParseUse(WitItemPrefix prefix, WitSourcePosition position)
    {
        ExpectKeyword("use");
        var path = ParseUsePath();
        Expect(WitTokenKind.Period, "`.` and `{ names }`");
        Expect(WitTokenKind.LeftBrace, "`{`");
        var names = new List<WitUseNameSyntax>();
        do
        {
            if (At(WitTokenKind.RightBrace) && names.Count > 0) break;
            var namePosition = Current.Position;
            var name = ExpectIdentifier("a type name");
            string? alias = AcceptKeyword("as") ? ExpectIdentifier() : null;
            names.Add(new WitUseNameSyntax(name, alias, namePosition));
        } while (Accept(WitTokenKind.Comma));
        Expect(WitTokenKind.RightBrace, "`,` or `}`");
        Expect(WitTokenKind.Semicolon, "`;`");
        return new WitUseSyntax(path, names, prefix, position);
    }

    private WitTypeDefSyntax? TryParseTypeDef(WitItemPrefix prefix, WitSourcePosition position)
    {
        if (At(WitTokenKind.Keyword) is false) return null;
        switch (Current.Text)
        {
            case "type":
            {
                Advance();
                var name = ExpectIdentifier("a type name");
                Expect(WitTokenKind.Equals, "`=`");
                var target = ParseType();
                Expect(WitTokenKind.Semicolon, "`;`");
                return new WitAliasSyntax(name, target, prefix, position);
            }
            case "record":
            {
                Advance();
                var name = ExpectIdentifier("a record name");
                var fields = ParseBraced("record", () =>
                {
                    var docs = Current.Docs;
                    var p = Current.Position;
                    var field = ExpectIdentifier("a field name");
                    Expect(WitTokenKind.Colon, "`:`");
                    return new WitNamedTypeSyntax(field, ParseType(), docs, p);
                });
                return new WitRecordSyntax(name, fields, prefix, position);
            }
            case "variant":
            {
                Advance();
                var name = ExpectIdentifier("a variant name");
                var cases = ParseBraced("variant", () =>
                {
                    var docs = Current.Docs;
                    var p = Current.Position;
                    var caseName = ExpectIdentifier("a case name");
                    WitTypeSyntax? payload = null;
                    if (Accept(WitTokenKind.LeftParen))
                    {
                        payload = ParseType();
                        Expect(WitTokenKind.RightParen, "`)`");
                    }
                    return new WitCaseSyntax(caseName, payload, docs, p);
                });
                return new WitVariantSyntax(name, cases, prefix, position);
            }
            case "enum":
            {
                Advance();
                var name = ExpectIdentifier("an enum name");
                return new WitEnumSyntax(name, ParseBraced("enum", ParseLabel), prefix, position);
            }
            case "flags":
            {
                Advance();
                var name = ExpectIdentifier("a flags name");
                return new WitFlagsSyntax(name, ParseBraced("flags", ParseLabel), prefix, position);
            }
            case "resource":
            {
                Advance();
                var name = ExpectIdentifier("a resource name");
                var functions = new List<WitResourceFunctionSyntax>();
                if (Accept(WitTokenKind.Semicolon)) return new WitResourceSyntax(name, functions, prefix, position);
                Expect(WitTokenKind.LeftBrace, "`;` or `{`");
                while (!Accept(WitTokenKind.RightBrace))
                {
                    if (At(WitTokenKind.EndOfFile)) throw Unexpected("`}`");
                    functions.Add(ParseResourceFunction());
                }
                return new WitResourceSyntax(name, functions, prefix, position);
            }
            default:
                return null;
        }
    }

    private WitCaseSyntax ParseLabel()
    {
        var docs = Current.Docs;
        var p = Current.Position;
        return new WitCaseSyntax(ExpectIdentifier("a case name"), null, docs, p);
    }

    /// <summary>`{ item, item, ... }` with at least one item and an optional trailing comma.</summary>
    private List<T> ParseBraced<T>(string what, Func<T> item)
    {
        Expect(WitTokenKind.LeftBrace, "`{`");
        var items = new List<T>();
        if (At(WitTokenKind.RightBrace)) throw Current.Position.Error($"a {what} must have at least one {(what == "record" ? "field" : what == "flags" ? "flag" : "case")}");
        while (true)
        {
            items.Add(item());
            if (Accept(WitTokenKind.RightBrace)) return items;
            Expect(WitTokenKind.Comma, "`,` or `}`");
            if (Accept(WitTokenKind.RightBrace)) return items;
        }
    }

    private WitResourceFunctionSyntax ParseResourceFunction()
    {
        var prefix = ParsePrefix(allowExternalId: true);
        var position = prefix.Position ?? Current.Position;
        if (AtKeyword("constructor"))
        {
            var ctorPosition = Current.Position;
            Advance();
            var parameters = ParseParameters();
            WitTypeSyntax? result = Accept(WitTokenKind.Arrow) ? ParseType() : null;
            Expect(WitTokenKind.Semicolon, "`;`");
            return new WitResourceFunctionSyntax(WitResourceFunctionKind.Constructor, "constructor",
                new WitFuncTypeSyntax(false, parameters, result, null, ctorPosition), prefix.Prefix, position);
        }
        var name = ExpectIdentifier("a method name, `constructor` or `}`");
        Expect(WitTokenKind.Colon, "`:`");
        var kind = AcceptKeyword("static") ? WitResourceFunctionKind.Static : WitResourceFunctionKind.Method;
        var type = ParseFuncType();
        Expect(WitTokenKind.Semicolon, "`;`");
        return new WitResourceFunctionSyntax(kind, name, type, prefix.Prefix, position);
    }

    private WitFuncTypeSyntax ParseFuncType()
    {
        var position = Current.Position;
        var isAsync = AcceptKeyword("async");
        ExpectKeyword("func");
        var parameters = ParseParameters();
        WitTypeSyntax? result = null;
        List<WitNamedTypeSyntax>? named = null;
        if (Accept(WitTokenKind.Arrow))
        {
            // `-> (a: u32, b: u32)` is the older named-results form; `-> ty` the current one.
            if (At(WitTokenKind.LeftParen)) named = ParseParameters();
            else result = ParseType();
        }
        return new WitFuncTypeSyntax(isAsync, parameters, result, named, position);
    }

    private List<WitNamedTypeSyntax> ParseParameters()
    {
        Expect(WitTokenKind.LeftParen, "`(`");
        var list = new List<WitNamedTypeSyntax>();
        while (!Accept(WitTokenKind.RightParen))
        {
            var position = Current.Position;
            var name = ExpectIdentifier("a parameter name or `)`");
            Expect(WitTokenKind.Colon, "`:`");
            list.Add(new WitNamedTypeSyntax(name, ParseType(), null, position));
            if (!Accept(WitTokenKind.Comma))
            {
                Expect(WitTokenKind.RightParen, "`,` or `)`");
                break;
            }
        }
        return list;
    }

    // ---- types ----

    private WitTypeSyntax ParseType()
    {
        var token = Current;
        var position = token.Position;
        if (token.Kind == WitTokenKind.Identifier)
        {
            Advance();
            return new WitTypeReferenceSyntax(token.Text, position);
        }
        if (token.Kind != WitTokenKind.Keyword) throw Unexpected("a type");
        if (Primitive(token.Text) is { } primitive)
        {
            Advance();
            return new WitPrimitiveTypeSyntax(primitive, position);
        }
        switch (token.Text)
        {
            case "list":
            {
                Advance();
                Expect(WitTokenKind.LessThan, "`<`");
                var element = ParseType();
                uint? length = null;
                if (Accept(WitTokenKind.Comma) && !At(WitTokenKind.GreaterThan))
                {
                    var n = Expect(WitTokenKind.Number, "a list length");
                    // The canonical ABI lays a fixed-length list out element by element (also flat), so a
                    // length in the millions would make every layout computation allocate that much:
                    // IronWasm bounds it, and says so, rather than exhausting memory on a .wit file.
                    if (!uint.TryParse(n.Text, out var value) || value == 0 || n.Text[0] == '0' || value > MaxFixedListLength)
                        throw n.Position.Error($"`{n.Text}` is not a valid list length (IronWasm accepts an integer from 1 to {MaxFixedListLength})");
                    length = value;
                    Accept(WitTokenKind.Comma);
                }
                Expect(WitTokenKind.GreaterThan, "`>`");
                return new WitListSyntax(element, length, position);
            }
            case "option":
            {
                Advance();
                Expect(WitTokenKind.LessThan, "`<`");
                var some = ParseType();
                Accept(WitTokenKind.Comma);
                Expect(WitTokenKind.GreaterThan, "`>`");
                return new WitOptionSyntax(some, position);
            }
            case "result":
            {
                Advance();
                if (!Accept(WitTokenKind.LessThan)) return new WitResultSyntax(null, null, position);
                WitTypeSyntax? ok = null;
                if (Accept(WitTokenKind.Underscore))
                {
                    Expect(WitTokenKind.Comma, "`,` after `_`");
                    var err = ParseType();
                    Accept(WitTokenKind.Comma);
                    Expect(WitTokenKind.GreaterThan, "`>`");
                    return new WitResultSyntax(null, err, position);
                }
                ok = ParseType();
                WitTypeSyntax? error = null;
                if (Accept(WitTokenKind.Comma) && !At(WitTokenKind.GreaterThan))
                {
                    error = ParseType();
                    Accept(WitTokenKind.Comma);
                }
                Expect(WitTokenKind.GreaterThan, "`>`");
                return new WitResultSyntax(ok, error, position);
            }
            case "tuple":
            {
                Advance();
                Expect(WitTokenKind.LessThan, "`<`");
                var types = new List<WitTypeSyntax>();
                if (At(WitTokenKind.GreaterThan)) throw Current.Position.Error("a tuple must have at least one type");
                do
                {
                    if (At(WitTokenKind.GreaterThan)) break;
                    types.Add(ParseType());
                } while (Accept(WitTokenKind.Comma));
                Expect(WitTokenKind.GreaterThan, "`,` or `>`");
                return new WitTupleSyntax(types, position);
            }
            case "map":
            {
                Advance();
                Expect(WitTokenKind.LessThan, "`<`");
                var key = ParseType();
                if (key is not WitPrimitiveTypeSyntax { Kind: not (WitPrimitiveKind.F32 or WitPrimitiveKind.F64) })
                    throw key.Position.Error("a map key must be an integer type, char, bool or string");
                Expect(WitTokenKind.Comma, "`,`");
                var value = ParseType();
                Accept(WitTokenKind.Comma);
                Expect(WitTokenKind.GreaterThan, "`>`");
                return new WitMapSyntax(key, value, position);
            }
            case "future":
            case "stream":
            {
                Advance();
                WitTypeSyntax? payload = null;
                if (Accept(WitTokenKind.LessThan))
                {
                    payload = ParseType();
                    Accept(WitTokenKind.Comma);
                    Expect(WitTokenKind.GreaterThan, "`>`");
                }
                return token.Text == "future" ? new WitFutureSyntax(payload, position) : new WitStreamSyntax(payload, position);
            }
            case "borrow":
            case "own":
            {
                Advance();
                Expect(WitTokenKind.LessThan, "`<`");
                var resource = ExpectIdentifier("a resource name");
                Expect(WitTokenKind.GreaterThan, "`>`");
                return new WitHandleSyntax(token.Text == "borrow", resource, position);
            }
            default:
                throw Unexpected("a type");
        }
    }

    private static WitPrimitiveKind? Primitive(string keyword) => keyword switch
    {
        "bool" => WitPrimitiveKind.Bool,
        "s8" => WitPrimitiveKind.S8, "u8" => WitPrimitiveKind.U8,
        "s16" => WitPrimitiveKind.S16, "u16" => WitPrimitiveKind.U16,
        "s32" => WitPrimitiveKind.S32, "u32" => WitPrimitiveKind.U32,
        "s64" => WitPrimitiveKind.S64, "u64" => WitPrimitiveKind.U64,
        "f32" => WitPrimitiveKind.F32, "f64" => WitPrimitiveKind.F64,
        "char" => WitPrimitiveKind.Char, "string" => WitPrimitiveKind.String,
        _ => null,
    };

    // ---- worlds ----

    private List<WitItemSyntax> ParseWorldBody()
    {
        Expect(WitTokenKind.LeftBrace, "`{`");
        var items = new List<WitItemSyntax>();
        while (!Accept(WitTokenKind.RightBrace))
        {
            if (At(WitTokenKind.EndOfFile)) throw Unexpected("`}`");
            var prefix = ParsePrefix(allowExternalId: true);
            var position = prefix.Position ?? Current.Position;
            if (AtKeyword("import") || AtKeyword("export"))
            {
                items.Add(ParseExtern(prefix.Prefix, position));
                continue;
            }
            if (prefix.Prefix.ExternalId is not null && (AtKeyword("use") || AtKeyword("include")))
                throw position.Error($"`@external-id` is not allowed on `{Current.Text}`");
            if (AtKeyword("use")) items.Add(ParseUse(prefix.Prefix, position));
            else if (AcceptKeyword("include"))
            {
                var path = ParseUsePath();
                var with = new List<WitIncludeNameSyntax>();
                if (AcceptKeyword("with"))
                {
                    Expect(WitTokenKind.LeftBrace, "`{`");
                    do
                    {
                        if (At(WitTokenKind.RightBrace) && with.Count > 0) break;
                        var p = Current.Position;
                        var name = ExpectIdentifier("a name to rename");
                        ExpectKeyword("as");
                        with.Add(new WitIncludeNameSyntax(name, ExpectIdentifier("the new name"), p));
                    } while (Accept(WitTokenKind.Comma));
                    Expect(WitTokenKind.RightBrace, "`,` or `}`");
                    Accept(WitTokenKind.Semicolon);
                }
                else Expect(WitTokenKind.Semicolon, "`;` or `with`");
                items.Add(new WitIncludeSyntax(path, with, prefix.Prefix, position));
            }
            else if (TryParseTypeDef(prefix.Prefix, position) is { } typeDef) items.Add(typeDef);
            else throw Unexpected("`import`, `export`, `include`, `use`, a type definition or `}`");
        }
        return items;
    }

    private WitExternSyntax ParseExtern(WitItemPrefix prefix, WitSourcePosition position)
    {
        var isImport = Advance().Text == "import";
        var first = Current;
        var second = PeekAt(1);
        var third = PeekAt(2);
        var fourth = PeekAt(3);
        var isLabelled = first.Kind == WitTokenKind.Identifier && second.Kind == WitTokenKind.Colon
            && !(third.Kind == WitTokenKind.Identifier && fourth.Kind == WitTokenKind.Slash);
        if (!isLabelled)
        {
            var path = ParseUsePath();
            Expect(WitTokenKind.Semicolon, "`;`");
            return new WitExternSyntax(isImport, null, path, null, null, prefix, position);
        }
        // `a:b` written without spaces is a package name, which cannot be imported (WIT.md, "Item: world").
        if (third.Kind == WitTokenKind.Identifier && fourth.Kind == WitTokenKind.Semicolon
            && first.End == second.Offset && second.End == third.Offset)
            throw third.Position.Error($"`{first.Text}:{third.Text}` names a package; expected `/` and an interface name");
        var label = Advance().Text;
        Advance(); // ':'
        if (AtKeyword("func") || AtKeyword("async"))
        {
            var func = ParseFuncType();
            Expect(WitTokenKind.Semicolon, "`;`");
            return new WitExternSyntax(isImport, label, null, func, null, prefix, position);
        }
        if (AtKeyword("interface"))
        {
            var interfacePosition = Current.Position;
            Advance();
            var body = ParseInterfaceBody();
            return new WitExternSyntax(isImport, label, null, null,
                new WitInterfaceSyntax(null, body, new WitItemPrefix(null, null, null), interfacePosition), prefix, position);
        }
        var target = ParseUsePath();
        Expect(WitTokenKind.Semicolon, "`;`");
        return new WitExternSyntax(isImport, label, target, null, null, prefix, position);
    }
}
