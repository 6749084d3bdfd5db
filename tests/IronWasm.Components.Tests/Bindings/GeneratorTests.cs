extern alias generator;

using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using IronWasm.Components.Bindings;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using WitBindingsGenerator = generator::IronWasm.Components.Generator.WitBindingsGenerator;

namespace IronWasm.Components.Tests.Bindings;

/// <summary>The generator run in a test compilation (CSharpGeneratorDriver): WIT problems and bad
/// selections become diagnostics at their source, and the hardware project's bindings compile.</summary>
public class GeneratorTests
{
    private sealed class WitFile(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll"));
        return platform.Concat([typeof(Linker).Assembly.Location, typeof(HostCall).Assembly.Location])
            .Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    private sealed record Run(Microsoft.CodeAnalysis.Compilation Output, ImmutableArray<Diagnostic> Diagnostics, GeneratorDriverRunResult Result);

    private static Run Generate(string source, params (string Path, string Text)[] wit)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create("Host", [CSharpSyntaxTree.ParseText(source, parse, path: "Host.cs")], References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new WitBindingsGenerator().AsSourceGenerator()],
            wit.Select(w => (AdditionalText)new WitFile(w.Path, w.Text)), parse);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new Run(output, diagnostics, driver.GetRunResult());
    }

    private static string Select(string name) => $"[assembly: IronWasm.Components.Bindings.WitHostBindings(\"{name}\", Namespace = \"Host.Bindings\")]";

    private const string GoodWit = """
        package test:good@1.0.0;

        interface things {
            record pair { a: u32, b: string }
            get: func(n: u32) -> pair;
        }
        """;

    [Fact]
    public void ValidWitGeneratesCodeThatCompiles()
    {
        var run = Generate(Select("test:good/things@1.0.0"), ("/wit/good.wit", GoodWit));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.NotNull(run.Output.GetTypeByMetadataName("Host.Bindings.Things+IHost"));
        Assert.NotNull(run.Output.GetTypeByMetadataName("Host.Bindings.Things+Pair"));
    }

    [Fact]
    public void TheVersionMayBeLeftOutWhenThereIsOne()
    {
        var run = Generate(Select("test:good/things"), ("/wit/good.wit", GoodWit));
        Assert.Empty(run.Diagnostics);
        Assert.NotNull(run.Output.GetTypeByMetadataName("Host.Bindings.Things"));
    }

    [Fact]
    public void WithoutTheAttributeNothingIsGenerated()
    {
        var run = Generate("class C { }", ("/wit/good.wit", GoodWit));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Result.GeneratedTrees);
    }

    [Fact]
    public void ASyntaxErrorIsReportedAtItsFileLineAndColumn()
    {
        const string bad = """
            package test:bad@1.0.0;
            interface broken {
                get: func(n: u32) -> ;
            }
            """;
        var run = Generate(Select("test:bad/broken@1.0.0"), ("/wit/bad.wit", bad));
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("IWB001", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("/wit/bad.wit", span.Path);
        Assert.Equal(new LinePosition(2, 25), span.StartLinePosition);
        Assert.Contains("expected", diagnostic.GetMessage());
    }

    [Fact]
    public void AnUnknownTypeIsReportedWhereItIsUsed()
    {
        const string bad = """
            package test:bad@1.0.0;

            interface broken {
                get: func() -> missing;
            }
            """;
        var diagnostic = Assert.Single(Generate(Select("test:bad/broken@1.0.0"), ("/wit/bad.wit", bad)).Diagnostics);
        Assert.Equal("IWB001", diagnostic.Id);
        Assert.Equal(new LinePosition(3, 19), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Contains("unknown type `missing`", diagnostic.GetMessage());
    }

    [Fact]
    public void AnUnknownInterfaceIsReportedAtTheAttribute()
    {
        var source = "using IronWasm.Components.Bindings;\n[assembly: WitHostBindings(\"test:good/nope@1.0.0\")]\n";
        var diagnostic = Assert.Single(Generate(source, ("/wit/good.wit", GoodWit)).Diagnostics);
        Assert.Equal("IWB002", diagnostic.Id);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("Host.cs", span.Path);
        Assert.Equal(new LinePosition(1, 27), span.StartLinePosition);
        Assert.Contains("has no interface `nope`", diagnostic.GetMessage());
    }

    [Fact]
    public void AnUnknownPackageIsReportedWithTheKnownInterfaces()
    {
        var diagnostic = Assert.Single(Generate(Select("test:other/things"), ("/wit/good.wit", GoodWit)).Diagnostics);
        Assert.Equal("IWB002", diagnostic.Id);
        Assert.Contains("test:good/things@1.0.0", diagnostic.GetMessage());
    }

    [Fact]
    public void AnAttributeWithoutWitFilesIsReported() =>
        Assert.Equal("IWB002", Assert.Single(Generate(Select("test:good/things")).Diagnostics).Id);

    [Fact]
    public void MalformedNamesAndNamespacesAreReported()
    {
        Assert.Equal("IWB004", Assert.Single(Generate(Select("things"), ("/wit/good.wit", GoodWit)).Diagnostics).Id);
        var badNamespace = "[assembly: IronWasm.Components.Bindings.WitHostBindings(\"test:good/things\", Namespace = \"Host.class\")]";
        Assert.Equal("IWB004", Assert.Single(Generate(badNamespace, ("/wit/good.wit", GoodWit)).Diagnostics).Id);
    }

    [Fact]
    public void AsyncFunctionsAndStreamsAreReportedAsUnsupported()
    {
        const string wit = """
            package test:later@1.0.0;
            interface later {
                wait: async func();
            }
            interface flow {
                open: func() -> stream<u8>;
            }
            """;
        var run = Generate(Select("test:later/later") + "\n" + Select("test:later/flow"), ("/wit/async.wit", wit));
        Assert.Equal(["IWB003", "IWB003"], run.Diagnostics.Select(d => d.Id));
        Assert.Contains(run.Diagnostics, d => d.GetMessage().Contains("async"));
        Assert.Contains(run.Diagnostics, d => d.GetMessage().Contains("stream<u8>"));
    }

    [Fact]
    public void UnusualNamesStillCompile()
    {
        const string wit = """
            package test:names@1.0.0;
            interface names {
                record names { names: u32, %record: string }
                variant tag { tag(u8), %case, equals(string) }
                resource host { define: func(%in: u32, %class: string) -> u32; }
                enum %class { %abstract, %default, class }
                flags color { color, none }
                to-string: func(%params: names, %this: tag) -> %class;
            }
            """;
        var run = Generate(Select("test:names/names"), ("/wit/names.wit", wit));
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void AnEditThatTouchesNeitherWitNorAttributesReusesTheOutput()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create("Host", [CSharpSyntaxTree.ParseText(Select("test:good/things"), parse)], References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new WitBindingsGenerator().AsSourceGenerator()],
            additionalTexts: [new WitFile("/wit/good.wit", GoodWit)], parseOptions: parse,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Edited { }", parse)));
        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(run => run.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void TheHardwareProjectsBusBindingsGenerateAndCompile()
    {
        var root = RepositoryRoot();
        var source = File.ReadAllText(Path.Combine(root, "src", "IronWasm.Hardware", "Bindings", "WitBindings.cs"));
        var wit = new[] { "wasi-i2c", "wasi-spi", "wasi-gpio", "wasi-usb" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(root, "wit", "deps", d), "*.wit"))
            .Select(p => (p, File.ReadAllText(p))).ToArray();
        var run = Generate(source, wit);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));

        const string ns = "IronWasm.Hardware.Bindings.";
        foreach (var type in new[]
        {
            "WasiI2c.I2c+II2c", "WasiI2c.I2c+ErrorCode", "WasiI2c.I2c+Operation", "WasiI2c.Delay+IDelay",
            "WasiSpi.Spi+ISpiDevice", "WasiSpi.Spi+IHost", "WasiSpi.Spi+Error",
            "WasiGpio.General+GpioError", "WasiGpio.Digital+IDigitalOutPin", "WasiGpio.Digital+IHost", "WasiGpio.Digital+DigitalFlag",
            "WasiGpio.Analog+IAnalogInPin", "WasiGpio.Analog+IHost", "WasiGpio.Poll+IPollable", "WasiGpio.Poll+IHost", "WasiGpio.Delay+IDelay",
            "WasiUsb.Device+IUsbDevice", "WasiUsb.Device+IDeviceHandle", "WasiUsb.Device+IHost", "WasiUsb.Device+DeviceLocation",
            "WasiUsb.Transfers+ITransfer", "WasiUsb.Transfers+IHost", "WasiUsb.UsbHotplug+IHost", "WasiUsb.UsbHotplug+Event",
            "WasiUsb.Errors+LibusbError", "WasiUsb.Configuration+ConfigValue", "WasiUsb.Descriptors+ConfigurationDescriptor",
        })
        {
            Assert.True(run.Output.GetTypeByMetadataName(ns + type) is not null, $"{ns}{type} was not generated");
        }

        // Types `use`d across gpio's interfaces are one type, not copies.
        var config = run.Output.GetTypeByMetadataName(ns + "WasiGpio.Digital+DigitalConfig")!;
        var pinMode = run.Output.GetTypeByMetadataName(ns + "WasiGpio.General+PinMode");
        Assert.Equal(pinMode, ((IPropertySymbol)config.GetMembers("PinMode").Single()).Type, SymbolEqualityComparer.Default);
        Assert.Null(run.Output.GetTypeByMetadataName(ns + "WasiGpio.Digital+PinMode"));
        var watch = (IMethodSymbol)run.Output.GetTypeByMetadataName(ns + "WasiGpio.Digital+IDigitalInPin")!.GetMembers("WatchRisingEdge").Single();
        Assert.Equal("IronWasm.Components.Bindings.Result<IronWasm.Hardware.Bindings.WasiGpio.Poll.IPollable, IronWasm.Hardware.Bindings.WasiGpio.General.GpioError>",
            watch.ReturnType.ToDisplayString());

        // component:usb: await-transfer takes the transfer back (own), and the data path is a span.
        var awaitTransfer = (IMethodSymbol)run.Output.GetTypeByMetadataName(ns + "WasiUsb.Transfers+IHost")!.GetMembers("AwaitTransfer").Single();
        Assert.Equal("IronWasm.Components.Bindings.Result<byte[], IronWasm.Hardware.Bindings.WasiUsb.Errors.LibusbError>", awaitTransfer.ReturnType.ToDisplayString());
        var submit = (IMethodSymbol)run.Output.GetTypeByMetadataName(ns + "WasiUsb.Transfers+ITransfer")!.GetMembers("SubmitTransfer").Single();
        Assert.Equal("System.ReadOnlySpan<byte>", submit.Parameters.Single().Type.ToDisplayString());
    }

    private static string RepositoryRoot([CallerFilePath] string path = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(path)!); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "IronWasm.slnx"))) return directory.FullName;
        throw new InvalidOperationException($"no IronWasm.slnx above {path}");
    }
}
