using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Linking;

/// <summary>The checks made before anything is instantiated: that the two sides of a link agree on
/// the interface (WIT level), and that each core module has the imports and exports its world and
/// links promise (core level). Every failure is a <see cref="ComponentLinkException"/> naming both
/// sides.</summary>
internal static class LinkValidator
{
    /// <summary>Finds the interface a component imports (<paramref name="imports"/>) or exports, by
    /// qualified name (`ns:pkg/iface@ver`, version optional) or by plain name.</summary>
    public static WitInterface? FindInterface(WitWorld world, string name, bool imports)
    {
        foreach (var item in imports ? world.Imports : world.Exports)
        {
            if (item.Interface is not { QualifiedName: { } qualified } iface) continue;
            var package = iface.Package.Name;
            if (qualified == name || iface.Name == name || $"{package.Namespace}:{package.Name}/{iface.Name}" == name) return iface;
        }
        return null;
    }

    public static string ListInterfaces(WitWorld world, bool imports)
    {
        var names = (imports ? world.Imports : world.Exports).Where(i => i.Interface is { Name: not null }).Select(i => i.Interface!.QualifiedName!).ToList();
        return names.Count == 0 ? "no interfaces" : string.Join(", ", names);
    }

    /// <summary>The exporter's interface must have every function and resource of the importer's,
    /// with the same types. (It may have more: the importer does not see them.)</summary>
    public static void CheckInterfaces(string link, LinkedComponent importer, WitInterface imported, LinkedComponent exporter, WitInterface exported)
    {
        foreach (var resource in ExportedInterface.ResourcesOf(imported))
        {
            if (!ExportedInterface.ResourcesOf(exported).Any(r => r.Name == resource.Name))
                throw new ComponentLinkException(
                    $"{link}: {importer.Name} imports resource `{resource.Name}` of {imported.QualifiedName}, but the {exported.QualifiedName} that {exporter.Name} exports has no such resource",
                    importer.Name, exporter.Name);
        }
        foreach (var function in imported.Functions)
        {
            var match = exported.FindFunction(function.CanonicalName)
                ?? throw new ComponentLinkException(
                    $"{link}: {importer.Name} imports `{function.CanonicalName}` of {imported.QualifiedName} ({function}), but the {exported.QualifiedName} that {exporter.Name} exports has no such function",
                    importer.Name, exporter.Name, function.ToString());
            if (WitTypeComparer.CompareFunctions(function, match) is { } difference)
                throw new ComponentLinkException(
                    $"{link}: `{function.CanonicalName}` has different types: {importer.Name} imports `{function}`, {exporter.Name} exports `{match}`; " +
                    $"{difference.Where} is `{difference.Imported}` in {importer.Name} but `{difference.Exported}` in {exporter.Name}",
                    importer.Name, exporter.Name, difference.Imported, difference.Exported);
        }
    }

    /// <summary>The core imports of <paramref name="module"/> from the interfaces the component
    /// imports through links must all be functions of those interfaces (or `[resource-drop]`), with
    /// the canonical ABI's lowered types.</summary>
    public static void CheckImporterModule(InterfaceLink link, Module module)
    {
        string importModule = CoreNames.ImportModule(link.ImportInterface);
        foreach (var import in module.Imports.Where(i => i.ModuleName == importModule))
        {
            string where = $"{link}: module `{module.Name}` of {link.Importer.Name} imports `{importModule}::{import.Name}`";
            if (import.FunctionType is not { } actual)
                throw new ComponentLinkException($"{where} as a {import.Kind.ToString().ToLowerInvariant()}; {link.Exporter.Name} provides only functions there", link.Importer.Name, link.Exporter.Name);
            FunctionType expected;
            if (CoreNames.TryParseFunction(import.Name, out var name) && name.Kind == CoreFunctionKind.ResourceDrop
                && link.Resources.Any(r => r.ImportResource.Name == name.Resource))
                expected = new FunctionType([ValueKind.I32], []);
            else if (link.ImportInterface.FindFunction(import.Name) is { } function)
                expected = FunctionLayout.Of(function).LowerType;
            else
                throw new ComponentLinkException($"{where}, which is not a function of {importModule} (that {link.Exporter.Name} exports)", link.Importer.Name, link.Exporter.Name);
            if (!actual.Equals(expected))
                throw new ComponentLinkException($"{where} with core type {actual}; the canonical ABI lowers it to {expected}",
                    link.Importer.Name, link.Exporter.Name, actual.ToString(), expected.ToString());
        }
        CheckMemory(module, link.Importer.Name, link.ImportInterface.Functions.Any(f =>
            FunctionLayout.Of(f).ResultsInMemory || WitTypeWalker.Function(f, IsList)), link.ToString());
        CheckRealloc(module, link.Importer.Name, link.ImportInterface.Functions.Any(f => Results(f).Any(t => WitTypeWalker.Any(t, IsList))), link.ToString());
    }

    /// <summary>The exporter's module must export every function of the interface with the lifted
    /// core type, and its post-return functions and resource destructors must have theirs.</summary>
    public static void CheckExporterModule(InterfaceLink link, Module module)
    {
        var exports = module.Exports.ToDictionary(e => e.Name);
        string Where(string name) => $"{link}: module `{module.Name}` of {link.Exporter.Name}";
        foreach (var function in link.ExportInterface.Functions)
        {
            string name = CoreNames.ExportName(link.ExportInterface.QualifiedName, function.CanonicalName);
            var layout = FunctionLayout.Of(function);
            if (!exports.TryGetValue(name, out var export) || export.FunctionType is not { } actual)
                throw new ComponentLinkException($"{Where(name)} does not export the function `{name}` ({function}), which {link.Importer.Name} imports",
                    link.Importer.Name, link.Exporter.Name);
            if (!actual.Equals(layout.LiftType))
                throw new ComponentLinkException($"{Where(name)} exports `{name}` with core type {actual}; the canonical ABI lifts `{function}` from {layout.LiftType}",
                    link.Importer.Name, link.Exporter.Name, layout.LiftType.ToString(), actual.ToString());
            var postType = new FunctionType(layout.LiftType.Results, []);
            if (exports.TryGetValue(CoreNames.PostReturn(name), out var post) && !postType.Equals(post.FunctionType))
                throw new ComponentLinkException($"{Where(name)} exports `{CoreNames.PostReturn(name)}` with type {post.Type}; the canonical ABI needs {postType}",
                    link.Importer.Name, link.Exporter.Name, postType.ToString(), post.Type.ToString());
        }
        foreach (var resource in ExportedInterface.ResourcesOf(link.ExportInterface))
        {
            string name = CoreNames.ExportName(link.ExportInterface.QualifiedName, CoreNames.Destructor(resource.Name));
            var dtorType = new FunctionType([ValueKind.I32], []);
            if (exports.TryGetValue(name, out var dtor) && !dtorType.Equals(dtor.FunctionType))
                throw new ComponentLinkException($"{Where(name)} exports the destructor `{name}` with type {dtor.Type}; it must be {dtorType}",
                    link.Importer.Name, link.Exporter.Name, dtorType.ToString(), dtor.Type.ToString());
        }
        CheckMemory(module, link.Exporter.Name, link.ExportInterface.Functions.Any(f =>
            FunctionLayout.Of(f).ResultsInMemory || FunctionLayout.Of(f).ParametersInMemory || WitTypeWalker.Function(f, IsList)), link.ToString());
        CheckRealloc(module, link.Exporter.Name, link.ExportInterface.Functions.Any(f =>
            FunctionLayout.Of(f).ParametersInMemory || f.Parameters.Any(p => WitTypeWalker.Any(p.Type, IsList))), link.ToString());
    }

    private static void CheckMemory(Module module, string component, bool needed, string link)
    {
        if (needed && !module.Exports.Any(e => e.Name == "memory" && e.Kind == ExternalKind.Memory))
            throw new ComponentLinkException($"{link}: module `{module.Name}` of {component} exports no memory `memory`, which passing this interface's values needs", component);
    }

    private static void CheckRealloc(Module module, string component, bool needed, string link)
    {
        if (needed && !module.Exports.Any(e => e.Name == CoreNames.Realloc && e.Kind == ExternalKind.Function))
            throw new ComponentLinkException($"{link}: module `{module.Name}` of {component} exports no `{CoreNames.Realloc}`, which passing strings and lists into it needs", component);
    }

    private static bool IsList(WitType type) => type is WitListType or WitMapType or WitPrimitiveType { Kind: WitPrimitiveKind.String };

    private static IEnumerable<WitType> Results(WitFunction function) =>
        function.Result is { } r ? [r] : function.NamedResults?.Select(p => p.Type) ?? [];
}
