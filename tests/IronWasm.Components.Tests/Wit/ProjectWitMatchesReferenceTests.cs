using IronWasm.Components.Linking;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.Wit;

/// <summary>wit/deps holds the project's own copies of the bus interfaces the hardware hosts
/// implement; they must keep exactly the proposals' signatures (reference copies beside the
/// repository), interface by interface, type by type and function by function.</summary>
public class ProjectWitMatchesReferenceTests
{
    public static TheoryData<string> OurPackages() => ["wasi-i2c", "wasi-spi", "wasi-gpio", "wasi-usb"];

    [ReferenceWitTheory]
    [MemberData(nameof(OurPackages))]
    public void EveryInterfaceTypeAndFunctionIsTheProposals(string package)
    {
        var ours = WitPackageLoader.LoadDirectory(Path.Combine(RepositoryRoot(), "wit", "deps", package)).Package;
        var reference = WitPackageLoader.LoadDirectory(ReferenceWit.PathOf(package)).Package;

        Assert.Equal(reference.Name.ToString(), ours.Name.ToString());
        Assert.Equal(Names(reference.Interfaces.Select(i => i.Name!)), Names(ours.Interfaces.Select(i => i.Name!)));
        Assert.Equal(Names(reference.Worlds.Select(w => w.Name)), Names(ours.Worlds.Select(w => w.Name)));
        foreach (var expected in reference.Interfaces)
        {
            var actual = ours.FindInterface(expected.Name!)!;
            Assert.Equal(Names(expected.Types.Select(t => t.Name)), Names(actual.Types.Select(t => t.Name)));
            foreach (var type in expected.Types)
                Assert.Null(WitTypeComparer.Compare(type, actual.FindType(type.Name), $"{expected.Name}.{type.Name}"));
            // Methods of different resources share names (get-config), so functions pair up in order.
            Assert.Equal(expected.Functions.Select(f => f.ToString()), actual.Functions.Select(f => f.ToString()));
            foreach (var (function, copy) in expected.Functions.Zip(actual.Functions))
                Assert.Null(WitTypeComparer.CompareFunctions(function, copy));
        }
    }

    private static string[] Names(IEnumerable<string> names) => names.Order(StringComparer.Ordinal).ToArray();

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourceFile)!, "..", "..", ".."));
}
