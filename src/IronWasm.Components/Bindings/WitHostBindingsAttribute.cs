namespace IronWasm.Components.Bindings;

/// <summary>Asks the IronWasm bindings generator (IronWasm.Components.Generator) for typed host
/// bindings of one WIT interface: C# types for its types, an interface per resource, an
/// <c>IHost</c> interface for its functions, and a <c>Define</c> method that defines its core
/// imports on a <see cref="Linker"/>. The interface's WIT files must be among the project's
/// <c>AdditionalFiles</c>. Interfaces whose types it <c>use</c>s get their types generated too.</summary>
/// <example><code>
/// [assembly: WitHostBindings("wasi:i2c/i2c@0.2.0-draft", Namespace = "MyHost.Wasi.I2c")]
/// </code></example>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class WitHostBindingsAttribute : Attribute
{
    /// <param name="interfaceName">`ns:pkg/interface@version`; the version may be left out when
    /// only one version of the package is among the WIT files.</param>
    public WitHostBindingsAttribute(string interfaceName) => InterfaceName = interfaceName;

    public string InterfaceName { get; }

    /// <summary>The C# namespace of the generated code; by default the package name in
    /// PascalCase (`wasi:i2c` -> `Wasi.I2c`).</summary>
    public string? Namespace { get; set; }
}
