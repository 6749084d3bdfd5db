using IronWasm.Components.CanonicalAbi;

namespace IronWasm.Components.Tests.CanonicalAbi;

/// <summary>The core import and export names bindings generators produce.</summary>
public class CoreNamesTests
{
    [Theory]
    [InlineData("[method]i2c.read", CoreFunctionKind.Method, "i2c", "read")]
    [InlineData("[static]i2c.open-bus", CoreFunctionKind.Static, "i2c", "open-bus")]
    [InlineData("[constructor]i2c", CoreFunctionKind.Constructor, "i2c", "i2c")]
    [InlineData("[resource-drop]i2c", CoreFunctionKind.ResourceDrop, "i2c", "i2c")]
    [InlineData("[resource-new]blob", CoreFunctionKind.ResourceNew, "blob", "blob")]
    [InlineData("[resource-rep]blob", CoreFunctionKind.ResourceRep, "blob", "blob")]
    [InlineData("[dtor]blob", CoreFunctionKind.Destructor, "blob", "blob")]
    [InlineData("get-temperature", CoreFunctionKind.Freestanding, null, "get-temperature")]
    public void FunctionNamesParseAndPrintBack(string name, CoreFunctionKind kind, string? resource, string function)
    {
        var parsed = CoreNames.ParseFunction(name);
        Assert.Equal(new CoreFunctionName(kind, resource, function), parsed);
        Assert.Equal(name, parsed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("[method]i2c")]
    [InlineData("[method].read")]
    [InlineData("[frobnicate]i2c")]
    [InlineData("[resource-drop]")]
    [InlineData("Get_Temperature")]
    [InlineData("mixedCase")]
    [InlineData("[method]i2c.read.more")]
    public void MalformedFunctionNamesAreRejected(string name)
    {
        Assert.False(CoreNames.TryParseFunction(name, out _));
        Assert.Throws<FormatException>(() => CoreNames.ParseFunction(name));
    }

    [Fact]
    public void InterfaceNamesHaveNamespacePackageInterfaceAndVersion()
    {
        Assert.Equal(new CoreInterfaceName("wasi", "i2c", "i2c", "0.2.0-draft"), CoreNames.ParseInterface("wasi:i2c/i2c@0.2.0-draft"));
        Assert.Equal(new CoreInterfaceName("my", "sensor", "temperature", null), CoreNames.ParseInterface("my:sensor/temperature"));
        Assert.Equal("wasi:i2c/i2c@0.2.0-draft", CoreNames.ParseInterface("wasi:i2c/i2c@0.2.0-draft").ToString());
    }

    [Theory]
    [InlineData("wasi:i2c")]
    [InlineData("wasi/i2c")]
    [InlineData("wasi:i2c/i2c@0.2")]
    [InlineData("wasi:i2c/i2c@")]
    [InlineData(":i2c/i2c")]
    public void MalformedInterfaceNamesAreRejected(string name) => Assert.False(CoreNames.TryParseInterface(name, out _));

    [Fact]
    public void ExportNamesJoinInterfaceAndFunctionWithAHash()
    {
        Assert.Equal("my:sensor/temperature@0.1.0#get-temperature", CoreNames.ExportName("my:sensor/temperature@0.1.0", "get-temperature"));
        Assert.True(CoreNames.TryParseExport("my:sensor/temperature@0.1.0#[method]probe.read", out var iface, out var function));
        Assert.Equal(new CoreInterfaceName("my", "sensor", "temperature", "0.1.0"), iface);
        Assert.Equal(new CoreFunctionName(CoreFunctionKind.Method, "probe", "read"), function);
    }

    [Fact]
    public void WorldLevelExportsHaveNoInterface()
    {
        Assert.True(CoreNames.TryParseExport("run", out var iface, out var function));
        Assert.Null(iface);
        Assert.Equal("run", function.Name);
    }

    [Fact]
    public void PostReturnAndReallocNames()
    {
        Assert.Equal("cabi_post_my:sensor/temperature@0.1.0#get-temperature", CoreNames.PostReturn("my:sensor/temperature@0.1.0#get-temperature"));
        Assert.Equal("cabi_realloc", CoreNames.Realloc);
        Assert.Equal("[export]my:sensor/temperature@0.1.0", CoreNames.ExportedResourceModule("my:sensor/temperature@0.1.0"));
    }

    [Fact]
    public void ImportNamesComeFromTheWitModel()
    {
        Assert.Equal("[method]sensor.read", CoreNames.ImportName(AbiGuest.HostFunction("[method]sensor.read")));
        Assert.Equal("test:abi/host@1.0.0", CoreNames.ImportModule(AbiGuest.Host));
    }
}
