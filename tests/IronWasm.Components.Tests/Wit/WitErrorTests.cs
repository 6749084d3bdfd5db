using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.Wit;

/// <summary>Syntax and resolution errors name the file, line and column of the cause.</summary>
public class WitErrorTests
{
    private static WitException Fails(string text, params (string, string)[] deps) =>
        Assert.Throws<WitException>(() => WitPackageLoader.LoadText(text, "t.wit", deps));

    private static void AssertAt(WitException error, int line, int column, string reasonPart)
    {
        Assert.Equal("t.wit", error.File);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reasonPart, error.Reason);
        Assert.StartsWith($"t.wit:{line}:{column}: ", error.Message);
    }

    [Fact]
    public void MissingSemicolon() =>
        AssertAt(Fails("package a:b;\ninterface i {\n  f: func()\n}"), 4, 1, "expected `;`, found `}`");

    [Fact]
    public void KeywordAsNameSuggestsPercent() =>
        AssertAt(Fails("package a:b;\ninterface i { type list = u8; }"), 2, 20, "%list");

    [Fact]
    public void FixedLengthListsLongerThanIronWasmLaysOutAreRefusedNotAllocated() =>
        AssertAt(Fails("package a:b;\ninterface i { type t = list<u8, 4294967295>; }"), 2, 33, "from 1 to 65536");

    [Fact]
    public void UnknownType() =>
        AssertAt(Fails("package a:b;\ninterface i {\n  type foo = bar;\n}"), 3, 14, "unknown type `bar`");

    [Fact]
    public void FunctionIsNotAType() =>
        AssertAt(Fails("package a:b;\ninterface i { f: func(); type t = f; }"), 2, 35, "is a function, not a type");

    [Fact]
    public void TypeReferringToItself() =>
        AssertAt(Fails("package a:b;\ninterface i { type foo = foo; }"), 2, 15, "refers to itself");

    [Fact]
    public void RecordsReferringToEachOther() =>
        AssertAt(Fails("package a:b;\ninterface i {\n  record bar1 { a: bar2 }\n  record bar2 { a: bar1 }\n}"), 3, 3, "refers to itself");

    [Fact]
    public void InterfacesUsingEachOther() =>
        AssertAt(Fails("package a:b;\ninterface x { use y.{b}; type a = u8; }\ninterface y { use x.{a}; type b = u8; }"), 3, 19, "cycle of `use`");

    [Fact]
    public void DuplicateTypeName() =>
        AssertAt(Fails("package a:b;\ninterface i {\n  type foo = u32;\n  type foo = u64;\n}"), 4, 3, "defined more than once");

    [Fact]
    public void NamesDifferingOnlyInCaseCollide() =>
        AssertAt(Fails("package a:b;\ninterface i { type foo = u32; FOO: func(); }"), 2, 31, "defined more than once");

    [Fact]
    public void DuplicateInterfaceAcrossFiles()
    {
        var error = Assert.Throws<WitException>(() => WitPackageLoader.LoadTexts([("a.wit", "package a:b; interface i {}"), ("b.wit", "\ninterface i {}")]));
        Assert.Equal(("b.wit", 2, 1), (error.File, error.Line, error.Column));
    }

    [Fact]
    public void PackageDeclarationsMustAgree()
    {
        var error = Assert.Throws<WitException>(() => WitPackageLoader.LoadTexts([("a.wit", "package a:b;"), ("b.wit", "package a:c;")]));
        Assert.Equal(("b.wit", 1, 9), (error.File, error.Line, error.Column));
    }

    [Fact]
    public void MissingPackageDeclaration() =>
        AssertAt(Fails("\ninterface i {}"), 2, 1, "no `package` declaration");

    [Fact]
    public void UnknownPackage() =>
        AssertAt(Fails("package a:b;\ninterface i { use wasi:io/streams.{s}; }"), 2, 19, "unknown package `wasi:io`");

    [Fact]
    public void UnknownVersionListsTheAvailableOnes() =>
        AssertAt(Fails("package a:b;\ninterface i { use wasi:io/streams@0.3.0.{s}; }", ("io.wit", "package wasi:io@0.2.0; interface streams { type s = u8; }")),
            2, 19, "available: 0.2.0");

    [Fact]
    public void UnknownInterfaceInDependency() =>
        AssertAt(Fails("package a:b;\ninterface i { use wasi:io/nope.{s}; }", ("io.wit", "package wasi:io; interface streams {}")),
            2, 19, "has no interface or world named `nope`");

    [Fact]
    public void UseOfMissingName() =>
        AssertAt(Fails("package a:b;\ninterface x {}\ninterface y { use x.{nope}; }"), 3, 22, "has no type named `nope`");

    [Fact]
    public void PackageCycle()
    {
        var error = Fails("package a:b; interface i {}", ("c.wit", "package c:c; interface x { use d:d/y.{t}; }"),
            ("d.wit", "package d:d; interface y { use c:c/x.{u}; type t = u8; }"));
        Assert.Contains("cycle", error.Reason);
    }

    [Fact]
    public void GateNeedsPackageVersion() =>
        AssertAt(Fails("package a:b;\ninterface i {\n  @since(version = 1.0.0)\n  f: func();\n}"), 3, 3, "need a package version");

    [Fact]
    public void SinceAndUnstableTogether() =>
        AssertAt(Fails("package a:b@1.0.0;\n@since(version = 1.0.0) @unstable(feature = x)\ninterface i {}"), 2, 1, "both `@since` and `@unstable`");

    [Fact]
    public void DeprecatedNeedsSince() =>
        AssertAt(Fails("package a:b@1.0.0;\n@deprecated(version = 1.0.0)\ninterface i {}"), 2, 1, "requires a `@since`");

    [Fact]
    public void UnknownGate() =>
        AssertAt(Fails("package a:b@1.0.0;\n@soon(version = 1.0.0)\ninterface i {}"), 2, 2, "unknown annotation `@soon`");

    [Fact]
    public void GateVersionMustBeSemver() =>
        AssertAt(Fails("package a:b@1.0.0;\n@since(version = 1.0)\ninterface i {}"), 2, 18, "not a valid semantic version");

    [Fact]
    public void BorrowOfNonResource() =>
        AssertAt(Fails("package a:b;\ninterface i { type t = u8; f: func(x: borrow<t>); }"), 2, 39, "is not a resource");

    [Fact]
    public void ConstructorMustReturnItsResource() =>
        AssertAt(Fails("package a:b;\ninterface i {\n  resource r { constructor() -> result<u8>; }\n}"), 3, 16, "a constructor of `r`");

    [Fact]
    public void TwoConstructors() =>
        AssertAt(Fails("package a:b;\ninterface i { resource r { constructor(); constructor(); } }"), 2, 43, "more than one constructor");

    [Fact]
    public void DuplicateParameter() =>
        AssertAt(Fails("package a:b;\ninterface i { f: func(x: u8, x: u8); }"), 2, 30, "duplicate parameter");

    [Fact]
    public void EmptyVariant() =>
        AssertAt(Fails("package a:b;\ninterface i { variant v {} }"), 2, 26, "at least one case");

    [Fact]
    public void IncludeConflictNeedsWith() =>
        AssertAt(Fails("package a:b;\nworld x { import a: func(); }\nworld y { import a: func(); }\nworld z { include x; include y; }"),
            4, 22, "rename it with `with");

    [Fact]
    public void WithCannotRenameInterfaceNames() =>
        AssertAt(Fails("package a:b;\ninterface a {}\nworld x { import a; }\nworld z { include x with { a as b } }"), 4, 28, "interface name");

    [Fact]
    public void WithOfUnknownName() =>
        AssertAt(Fails("package a:b;\nworld x { import f: func(); }\nworld z { include x with { g as h } }"), 3, 28, "no import or export named `g`");

    [Fact]
    public void IncludeCycle() =>
        AssertAt(Fails("package a:b;\nworld x { include y; }\nworld y { include x; }"), 3, 19, "cycle of `include`");

    [Fact]
    public void IncludeOfInterface() =>
        AssertAt(Fails("package a:b;\ninterface i {}\nworld x { include i; }"), 3, 19, "only worlds can be included");

    [Fact]
    public void DuplicateImportName() =>
        AssertAt(Fails("package a:b;\nworld x {\n  import f: func();\n  import f: func(a: u8);\n}"), 4, 3, "already has an import named `f`");

    [Fact]
    public void ImportOfPackageName() =>
        AssertAt(Fails("package a:b;\nworld x { import a:b; }"), 2, 20, "names a package");

    [Fact]
    public void UnterminatedInterface() =>
        AssertAt(Fails("package a:b;\ninterface i {\n  f: func();\n"), 4, 1, "expected `}`, found end of file");

    [Fact]
    public void ErrorsInDependencyFilesNameThatFile()
    {
        var error = Fails("package a:b; interface i {}", ("dep.wit", "package c:d;\ninterface x { type t = nope; }"));
        Assert.Equal(("dep.wit", 2, 24), (error.File, error.Line, error.Column));
    }

    [Fact]
    public void MissingDirectoryIsNotFound() =>
        Assert.Throws<DirectoryNotFoundException>(() => WitPackageLoader.LoadDirectory("/nonexistent/wit-dir"));
}
