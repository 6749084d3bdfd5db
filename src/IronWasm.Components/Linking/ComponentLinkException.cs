namespace IronWasm.Components.Linking;

/// <summary>Two components cannot be linked: the exporter lacks an interface or function the
/// importer needs, their WIT types differ, or a core module does not match its world. The message
/// names both sides; <see cref="ImportedType"/> and <see cref="ExportedType"/> hold the differing
/// types when types are the problem. (<see cref="WasmLinkException"/> is sealed, so this derives
/// from <see cref="WasmException"/>.)</summary>
public sealed class ComponentLinkException : WasmException
{
    public ComponentLinkException(string message, string? importer = null, string? exporter = null,
        string? importedType = null, string? exportedType = null)
        : base(message)
    {
        Importer = importer;
        Exporter = exporter;
        ImportedType = importedType;
        ExportedType = exportedType;
    }

    /// <summary>The importing component (the app side), when the error is about a link.</summary>
    public string? Importer { get; }

    /// <summary>The exporting component (the driver side), when the error is about a link.</summary>
    public string? Exporter { get; }

    /// <summary>The type as the importer sees it, when two types differ.</summary>
    public string? ImportedType { get; }

    /// <summary>The type as the exporter sees it, when two types differ.</summary>
    public string? ExportedType { get; }
}
