using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.Wit;

/// <summary>Each WIT construct, from inline text to the resolved model.</summary>
public class WitConstructTests
{
    private static WitInterface Interface(string body, string name = "i") =>
        WitPackageLoader.LoadText($"package test:pkg@1.0.0;\ninterface {name} {{\n{body}\n}}\n").Package.FindInterface(name)!;

    private static WitType TypeOf(WitInterface i, string name) => i.FindType(name)!.Definition;

    [Fact]
    public void PackageNameHasNamespaceNameAndVersion()
    {
        var package = WitPackageLoader.LoadText("package wasi:gpio@0.2.0-draft; interface a {}").Package;
        Assert.Equal(new WitPackageName("wasi", "gpio", "0.2.0-draft"), package.Name);
        Assert.Equal("wasi:gpio/a@0.2.0-draft", package.Interfaces[0].QualifiedName);
    }

    [Fact]
    public void PackageWithoutVersion()
    {
        var package = WitPackageLoader.LoadText("package wasi:spi; interface a {}").Package;
        Assert.Null(package.Name.Version);
        Assert.Equal("wasi:spi/a", package.Interfaces[0].QualifiedName);
    }

    [Fact]
    public void RecordHasFieldsInOrderWithDocs()
    {
        var record = Assert.IsType<WitRecordType>(TypeOf(Interface("record r { /// the x\n x: u32, y: string, }"), "r"));
        Assert.Equal(["x", "y"], record.Fields.Select(f => f.Name));
        Assert.Equal("the x", record.Fields[0].Docs);
        Assert.Same(WitPrimitiveType.Get(WitPrimitiveKind.String), record.Fields[1].Type);
    }

    [Fact]
    public void VariantCasesHaveOptionalPayloads()
    {
        var variant = Assert.IsType<WitVariantType>(TypeOf(Interface("variant v { none, some(list<u8>) }"), "v"));
        Assert.Null(variant.Cases[0].Type);
        Assert.Equal("list<u8>", variant.Cases[1].Type!.ToString());
    }

    [Fact]
    public void EnumAndFlagsListTheirNames()
    {
        var i = Interface("enum e { a, b-c } flags f { read, write, exec }");
        Assert.Equal(["a", "b-c"], Assert.IsType<WitEnumType>(TypeOf(i, "e")).Cases.Select(c => c.Name));
        Assert.Equal(["read", "write", "exec"], Assert.IsType<WitFlagsType>(TypeOf(i, "f")).Flags.Select(c => c.Name));
    }

    [Theory]
    [InlineData("bool", "bool")]
    [InlineData("s8", "s8")]
    [InlineData("u64", "u64")]
    [InlineData("f64", "f64")]
    [InlineData("char", "char")]
    [InlineData("tuple<u32, u64,>", "tuple<u32, u64>")]
    [InlineData("option<string>", "option<string>")]
    [InlineData("result", "result")]
    [InlineData("result<string>", "result<string>")]
    [InlineData("result<_, u8>", "result<_, u8>")]
    [InlineData("result<char, u8>", "result<char, u8>")]
    [InlineData("list<list<u8>>", "list<list<u8>>")]
    [InlineData("list<u8, 4>", "list<u8, 4>")]
    [InlineData("map<string, u32>", "map<string, u32>")]
    [InlineData("future<u32>", "future<u32>")]
    [InlineData("stream", "stream")]
    public void TypeAliasesResolveAnonymousTypes(string written, string expected)
    {
        Assert.Equal(expected, TypeOf(Interface($"type t = {written};"), "t").ToString());
    }

    [Fact]
    public void AliasOfAliasKeepsTheChain()
    {
        var i = Interface("type t10 = t9; type t9 = list<string>;");
        var t10 = i.FindType("t10")!;
        Assert.True(t10.IsAlias);
        Assert.Same(i.FindType("t9"), t10.Definition);
        Assert.Equal("list<string>", t10.Original.Definition.ToString());
    }

    [Fact]
    public void ResourceFunctionsAreDesugared()
    {
        var i = Interface("""
            resource blob {
                constructor(init: list<u8>);
                write: func(bytes: list<u8>);
                merge: static func(lhs: borrow<blob>, rhs: borrow<blob>) -> blob;
            }
            """);
        var resource = Assert.IsType<WitResourceType>(TypeOf(i, "blob"));
        Assert.Equal(["[constructor]blob", "[method]blob.write", "[static]blob.merge"], i.Functions.Select(f => f.CanonicalName));
        Assert.Equal(resource.Functions, i.Functions);

        var ctor = resource.Constructor!;
        Assert.Equal(WitFunctionKind.Constructor, ctor.Kind);
        Assert.Equal("own<blob>", ctor.Result!.ToString());

        var write = i.FindFunction("[method]blob.write")!;
        Assert.Equal("self", write.Parameters[0].Name);
        Assert.Same(i.FindType("blob"), Assert.IsType<WitBorrowType>(write.Parameters[0].Type).ResourceType);

        var merge = i.FindFunction("[static]blob.merge")!;
        Assert.Equal(2, merge.Parameters.Count);
        Assert.IsType<WitOwnType>(merge.Result);
    }

    [Fact]
    public void FallibleConstructorKeepsItsResult()
    {
        var i = Interface("resource r { constructor() -> result<r, string>; }");
        Assert.Equal("result<own<r>, string>", i.Functions[0].Result!.ToString());
    }

    [Fact]
    public void ResourceWithoutBodyAndExplicitHandles()
    {
        var i = Interface("resource r; f: func(a: own<r>, b: borrow<r>, c: r, d: list<r>);");
        var types = i.Functions[0].Parameters.Select(p => p.Type.ToString());
        Assert.Equal(["own<r>", "borrow<r>", "own<r>", "list<own<r>>"], types);
    }

    [Fact]
    public void FunctionResultsCanBeNoneSingleOrNamed()
    {
        var i = Interface("a: func(); b: func() -> u32; c: func() -> (x: u32, y: f32); d: async func(x: u8,) -> string;");
        Assert.Equal(WitResultsKind.None, i.Functions[0].ResultsKind);
        Assert.Equal(WitResultsKind.Single, i.Functions[1].ResultsKind);
        Assert.Equal(WitResultsKind.Named, i.Functions[2].ResultsKind);
        Assert.Equal(["x", "y"], i.Functions[2].NamedResults!.Select(r => r.Name));
        Assert.True(i.Functions[3].IsAsync);
        Assert.Equal("d: async func(x: u8) -> string", i.Functions[3].ToString());
    }

    [Fact]
    public void PercentIdentifiersMayBeKeywords()
    {
        var i = Interface("%variant: func(%enum: s32);");
        Assert.Equal("variant", i.Functions[0].Name);
        Assert.Equal("enum", i.Functions[0].Parameters[0].Name);
    }

    [Fact]
    public void FeatureGatesAreKept()
    {
        var i = Interface("""
            a: func();
            @since(version = 0.2.1)
            b: func();
            @unstable(feature = fancier-foo)
            d: func();
            @since(version = 0.2.0)
            @deprecated(version = 0.2.2)
            e: func();
            """);
        Assert.Null(i.Functions[0].Gate);
        Assert.Equal(new WitFeatureGate("0.2.1", null, null), i.Functions[1].Gate);
        Assert.Equal(new WitFeatureGate(null, "fancier-foo", null), i.Functions[2].Gate);
        Assert.Equal(new WitFeatureGate("0.2.0", null, "0.2.2"), i.Functions[3].Gate);
    }

    [Fact]
    public void GatedInterfaceAndDocsBeforeTheGate()
    {
        var package = WitPackageLoader.LoadText("package a:b@1.0.0;\n/// Docs.\n@since(version = 1.0.0)\ninterface i {}").Package;
        Assert.Equal("Docs.", package.Interfaces[0].Docs);
        Assert.Equal("1.0.0", package.Interfaces[0].Gate!.Since);
    }

    [Fact]
    public void ExternalIdIsKept()
    {
        var world = WitPackageLoader.LoadText("""
            package a:b;
            world w {
                @external-id("https://esm.unpkg.com/slugify@1.6.6")
                import slugify: func(text: string) -> string;
            }
            """).SelectWorld();
        Assert.Equal("https://esm.unpkg.com/slugify@1.6.6", world.Imports[0].ExternalId);
    }

    [Fact]
    public void DocCommentsReachInterfacesTypesAndFunctions()
    {
        var package = WitPackageLoader.LoadText("""
            /// The package.
            package a:b;
            /** The interface. */
            interface i {
                /// A type.
                type t = u8;
                /// A function.
                f: func();
            }
            """).Package;
        Assert.Equal("The package.", package.Docs);
        Assert.Equal("The interface.", package.Interfaces[0].Docs);
        Assert.Equal("A type.", package.Interfaces[0].Types[0].Docs);
        Assert.Equal("A function.", package.Interfaces[0].Functions[0].Docs);
    }

    [Fact]
    public void WorldImportsAndExportsEveryShape()
    {
        var world = WitPackageLoader.LoadText("""
            package local:demo;
            interface store { get: func(key: string) -> option<string>; }
            world w {
                import store;
                import primary: store;
                import run-it: func();
                import host: interface { log: func(msg: string); }
                export main: func(args: list<string>);
                export store;
            }
            """).SelectWorld("w");
        Assert.Equal(["local:demo/store", "primary", "run-it", "host"], world.Imports.Select(i => i.Name));
        Assert.True(world.Imports[0].HasInterfaceName);
        Assert.False(world.Imports[1].HasInterfaceName);
        Assert.Same(world.Imports[0].Interface, world.Imports[1].Interface);
        Assert.NotNull(world.Imports[2].Function);
        Assert.Null(world.Imports[3].Interface!.Name);
        Assert.Same(world, world.Imports[3].Interface!.World);
        Assert.Equal(["main", "local:demo/store"], world.Exports.Select(e => e.Name));
    }

    [Fact]
    public void WorldLevelTypesAndUse()
    {
        var world = WitPackageLoader.LoadText("""
            package local:demo;
            interface shared { record metadata { a: u32 } }
            world w {
                use shared.{metadata};
                type id = u64;
                import get: func(i: id) -> metadata;
            }
            """).SelectWorld();
        Assert.Equal(["metadata", "id"], world.Types.Select(t => t.Name));
        Assert.Equal(["local:demo/shared", "get"], world.Imports.Select(i => i.Name));
        Assert.True(world.Imports[0].IsImplicit);
        Assert.Same(world.Types[0], world.Imports[1].Function!.Result);
    }
}
