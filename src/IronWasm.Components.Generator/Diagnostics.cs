using Microsoft.CodeAnalysis;

namespace IronWasm.Components.Generator;

/// <summary>What the generator reports. Every problem is a diagnostic: the generator never throws
/// into the compiler.</summary>
internal static class Diagnostics
{
    private const string Category = "IronWasm.Bindings";

    /// <summary>A WIT file does not parse or resolve; located at the file, line and column.</summary>
    public static readonly DiagnosticDescriptor InvalidWit = Error("IWB001", "Invalid WIT");

    /// <summary>A [WitHostBindings] attribute names an interface no WIT file defines.</summary>
    public static readonly DiagnosticDescriptor UnknownInterface = Error("IWB002", "Unknown WIT interface");

    /// <summary>An interface uses something the bindings cannot express (async, future, stream, ...).</summary>
    public static readonly DiagnosticDescriptor Unsupported = Error("IWB003", "WIT feature not supported by host bindings");

    /// <summary>A [WitHostBindings] attribute is malformed or repeats another.</summary>
    public static readonly DiagnosticDescriptor InvalidSelection = Error("IWB004", "Invalid WitHostBindings attribute");

    /// <summary>The generator failed unexpectedly; the message says where.</summary>
    public static readonly DiagnosticDescriptor InternalError = Error("IWB000", "Bindings generator error");

    private static DiagnosticDescriptor Error(string id, string title) =>
        new(id, title, "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static DiagnosticDescriptor Get(string id) => id switch
    {
        "IWB001" => InvalidWit,
        "IWB002" => UnknownInterface,
        "IWB003" => Unsupported,
        "IWB004" => InvalidSelection,
        _ => InternalError,
    };
}
