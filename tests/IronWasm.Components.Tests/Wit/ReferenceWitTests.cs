using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.Wit;

public class ReferenceWitTests
{
    [ReferenceWitTheory]
    [MemberData(nameof(ReferenceWit.PackageDirectories), MemberType = typeof(ReferenceWit))]
    public void EveryReferencePackageParsesAndResolves(string package)
    {
        var dir = ReferenceWit.PathOf(package);
        var resolved = WitPackageLoader.LoadDirectory(dir);

        var declared = File.ReadLines(Directory.GetFiles(dir, "*.wit")[0]).First(l => l.StartsWith("package ", StringComparison.Ordinal));
        Assert.Equal(declared["package ".Length..].TrimEnd(';', ' '), resolved.Package.Name.ToString());
        Assert.NotEmpty(resolved.Package.Interfaces);
        Assert.NotEmpty(resolved.Package.Worlds);
        Assert.Same(resolved.Package, resolved.Packages[^1]);
        foreach (var world in resolved.Package.Worlds)
            Assert.All(world.Imports.Concat(world.Exports), item => Assert.True(item.Interface is not null || item.Function is not null));
    }

    [ReferenceWitTheory]
    [MemberData(nameof(ReferenceWit.PackageDirectories), MemberType = typeof(ReferenceWit))]
    public void EveryReferenceFileParsesOnItsOwn(string package)
    {
        foreach (var file in Directory.GetFiles(ReferenceWit.PathOf(package), "*.wit"))
        {
            var document = WitParser.Parse(File.ReadAllText(file), file);
            Assert.NotNull(document.Root.Package);
        }
    }

    [ReferenceWitFact]
    public void GpioWorldImportsTheInterfacesItsImportsUse()
    {
        var world = WitPackageLoader.LoadDirectory(ReferenceWit.PathOf("wasi-gpio")).SelectWorld("imports");

        var names = world.Imports.Select(i => i.Name).ToList();
        Assert.Equal(["wasi:gpio/general@0.2.0", "wasi:gpio/poll@0.2.0", "wasi:gpio/digital@0.2.0",
            "wasi:gpio/analog@0.2.0", "wasi:gpio/delay@0.2.0"], names);
        Assert.True(world.FindImport("wasi:gpio/general@0.2.0")!.IsImplicit);
        Assert.False(world.FindImport("wasi:gpio/digital@0.2.0")!.IsImplicit);
    }

    [ReferenceWitFact]
    public void GpioStaticConstructorReturnsOwnedHandle()
    {
        var digital = WitPackageLoader.LoadDirectory(ReferenceWit.PathOf("wasi-gpio")).Package.FindInterface("digital")!;

        var get = digital.FindFunction("[static]digital-out-pin.get")!;
        Assert.Equal(WitFunctionKind.Static, get.Kind);
        Assert.Equal("flags", get.Parameters[1].Name);
        var result = Assert.IsType<WitResultType>(get.Result);
        Assert.Equal("digital-out-pin", Assert.IsType<WitOwnType>(result.Ok).ResourceType.Name);
        var error = Assert.IsType<WitNamedType>(result.Err);
        Assert.True(error.IsAlias);
        Assert.IsType<WitVariantType>(error.Original.Definition);
        Assert.Equal("general", error.Original.Interface!.Name);
    }

    [ReferenceWitFact]
    public void UsbHostWorldExportsWhatItImports()
    {
        var world = WitPackageLoader.LoadDirectory(ReferenceWit.PathOf("wasi-usb")).SelectWorld("host");

        Assert.Equal(6, world.Exports.Count);
        Assert.Equal(6, world.Imports.Count);
        Assert.Contains(world.Exports, e => e.Name == "component:usb/usb-hotplug@0.2.1");
    }
}
