using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.Wit;

/// <summary>`use`, packages, dependencies, versions and world `include`s.</summary>
public sealed class WitResolutionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ironwasm-wit-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private void Write(string relativePath, string text)
    {
        var path = Path.Combine(_dir, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    [Fact]
    public void UseFindsInterfacesInOtherFilesOfThePackage()
    {
        var resolved = WitPackageLoader.LoadTexts([
            ("host.wit", "package local:demo;\ninterface host { use types.{errno, size as sz}; f: func(s: sz) -> result<_, errno>; }"),
            ("types.wit", "interface types { enum errno { too-big } type size = u32; }"),
        ]);
        var host = resolved.Package.FindInterface("host")!;
        var types = resolved.Package.FindInterface("types")!;
        Assert.Equal(["errno", "sz"], host.Types.Select(t => t.Name));
        Assert.Same(types.FindType("size"), host.FindType("sz")!.Definition);
        Assert.Equal([types], host.Dependencies);
        Assert.Same(host, host.FindType("sz")!.Interface);
    }

    [Fact]
    public void FilesOfAPackageMayOmitThePackageDeclaration()
    {
        var resolved = WitPackageLoader.LoadTexts([("a.wit", "interface a {}"), ("b.wit", "package x:y; interface b {}")]);
        Assert.Equal(["a", "b"], resolved.Package.Interfaces.Select(i => i.Name));
    }

    [Fact]
    public void UsedResourceStaysAResource()
    {
        var i = WitPackageLoader.LoadText("""
            package a:b;
            interface poll { resource pollable; }
            interface user { use poll.{pollable}; wait: func(p: list<borrow<pollable>>) -> pollable; }
            """).Package.FindInterface("user")!;
        Assert.True(i.FindType("pollable")!.IsResource);
        Assert.Equal("list<borrow<pollable>>", i.Functions[0].Parameters[0].Type.ToString());
        var own = Assert.IsType<WitOwnType>(i.Functions[0].Result);
        Assert.Equal("poll", own.ResourceType.Interface!.Name);
    }

    [Fact]
    public void DependencyDirectoryAndFileAreLoaded()
    {
        Write("main.wit", """
            package local:app;
            use wasi:clocks/wall@1.0.0 as wall1;
            interface app {
                use wall1.{datetime};
                use wasi:io/streams.{input-stream};
                now: func() -> datetime;
                read: func(s: borrow<input-stream>);
            }
            world w { import app; }
            """);
        Write("deps/clocks/wall.wit", "package wasi:clocks@1.0.0;\ninterface wall { record datetime { seconds: u64 } }");
        Write("deps/clocks/other.wit", "interface monotonic { type instant = u64; }");
        Write("deps/io.wit", "package wasi:io;\ninterface streams { resource input-stream; }");

        var resolved = WitPackageLoader.LoadDirectory(_dir);

        Assert.Equal(["wasi:clocks@1.0.0", "wasi:io", "local:app"], resolved.Packages.Select(p => p.Name.ToString()));
        var app = resolved.Package.FindInterface("app")!;
        Assert.Equal("wasi:clocks/wall@1.0.0", app.FindType("datetime")!.Original.Interface!.QualifiedName);
        Assert.NotNull(resolved.FindPackage("wasi:clocks")!.FindInterface("monotonic"));
        Assert.Equal(["wasi:clocks/wall@1.0.0", "wasi:io/streams", "local:app/app"], resolved.SelectWorld().Imports.Select(i => i.Name));
    }

    [Fact]
    public void VersionSelectsAmongSeveralVersionsOfAPackage()
    {
        var resolved = WitPackageLoader.LoadText("""
            package local:app;
            use a:b/i@1.0.0 as one;
            use a:b/i@2.0.0 as two;
            interface app { use one.{t as t1}; use two.{t as t2}; }
            """, "main.wit",
            ("b1.wit", "package a:b@1.0.0; interface i { type t = u8; }"),
            ("b2.wit", "package a:b@2.0.0; interface i { type t = string; }"));
        var app = resolved.Package.FindInterface("app")!;
        Assert.Equal("u8", app.FindType("t1")!.Original.Definition.ToString());
        Assert.Equal("string", app.FindType("t2")!.Original.Definition.ToString());
    }

    [Fact]
    public void NestedPackagesInOneFileAreDependencies()
    {
        var resolved = WitPackageLoader.LoadText("""
            package local:root;
            interface user { use local:a/foo.{x}; }
            package local:a { interface foo { type x = u32; } }
            """);
        Assert.Equal(["local:a", "local:root"], resolved.Packages.Select(p => p.Name.ToString()));
    }

    [Fact]
    public void FullyQualifiedReferenceToOwnPackageWorks()
    {
        var world = WitPackageLoader.LoadText("package a:b@1.0.0; interface i {} world w { import a:b/i@1.0.0; }").SelectWorld();
        Assert.Equal("a:b/i@1.0.0", world.Imports[0].Name);
    }

    [Fact]
    public void IncludeUnitesWorldsAndDeduplicatesInterfaces()
    {
        var world = WitPackageLoader.LoadText("""
            package local:demo;
            interface a {} interface b {} interface c {}
            world one { import a; import b; export c; }
            world two { import a; import b; }
            world union { include one; include two; }
            """).SelectWorld("union");
        Assert.Equal(["local:demo/a", "local:demo/b"], world.Imports.Select(i => i.Name));
        Assert.Equal(["local:demo/c"], world.Exports.Select(i => i.Name));
    }

    [Fact]
    public void IncludeWithRenamesPlainNames()
    {
        var world = WitPackageLoader.LoadText("""
            package local:demo;
            world world-one { import a: func(); }
            world world-two { import a: func(x: u32); }
            world union { include world-one; include world-two with { a as b } }
            """).SelectWorld("union");
        Assert.Equal(["a", "b"], world.Imports.Select(i => i.Name));
        Assert.Single(world.Imports[1].Function!.Parameters);
    }

    [Fact]
    public void IncludeOfAWorldInAnotherPackage()
    {
        var world = WitPackageLoader.LoadText("package local:app; world w { include wasi:cli/command; }", "w.wit",
            ("cli.wit", "package wasi:cli; interface run { run: func(); } world command { export run; }")).SelectWorld();
        Assert.Equal(["wasi:cli/run"], world.Exports.Select(e => e.Name));
    }

    [Fact]
    public void ExportedInterfaceImportsWhatItUses()
    {
        var resolved = WitPackageLoader.LoadText("""
            package local:demo;
            interface a { resource r; }
            interface b { use a.{r}; foo: func() -> r; }
            world w1 { export b; }
            world w2 { import a; export b; }
            world w3 { export a; export b; }
            """);
        Assert.Equal(["local:demo/a"], resolved.SelectWorld("w1").Imports.Select(i => i.Name));
        Assert.True(resolved.SelectWorld("w1").Imports[0].IsImplicit);
        Assert.False(resolved.SelectWorld("w2").Imports[0].IsImplicit);
        Assert.Empty(resolved.SelectWorld("w3").Imports);
    }

    [Fact]
    public void TransitiveUsesAreImportedInDependencyOrder()
    {
        var world = WitPackageLoader.LoadText("""
            package local:demo;
            interface top { use middle.{m}; }
            interface middle { use base.{b}; type m = b; }
            interface base { type b = u8; }
            world w { import top; }
            """).SelectWorld();
        Assert.Equal(["local:demo/base", "local:demo/middle", "local:demo/top"], world.Imports.Select(i => i.Name));
    }

    [Fact]
    public void SelectWorldByPlainOrQualifiedName()
    {
        var resolved = WitPackageLoader.LoadText("package a:b@1.0.0; world x {} world y {}");
        Assert.Equal("y", resolved.SelectWorld("y").Name);
        Assert.Equal("x", resolved.SelectWorld("a:b/x@1.0.0").Name);
        Assert.Equal("x", resolved.SelectWorld("a:b/x").Name);
        Assert.Contains("2 worlds", Assert.Throws<WitException>(() => resolved.SelectWorld()).Reason);
    }
}
