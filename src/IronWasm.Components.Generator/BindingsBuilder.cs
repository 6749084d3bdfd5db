using System.Collections.Immutable;
using System.Threading;
using IronWasm.Components.Generator.Emit;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Generator;

/// <summary>One generator run: WIT files and selections in, C# files and diagnostics out.</summary>
internal static class BindingsBuilder
{
    public static GeneratorOutput Run(EquatableArray<WitSource> files, EquatableArray<Selection> selections, CancellationToken cancellation)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var output = new List<GeneratedFile>();
        if (selections.Count > 0)
        {
            try
            {
                Build(files, selections, diagnostics, output, cancellation);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                diagnostics.Add(new DiagnosticInfo(Diagnostics.InternalError.Id, $"the bindings generator failed: {e.GetType().Name}: {e.Message}", selections.Items[0].Location));
            }
        }
        return new GeneratorOutput(new EquatableArray<GeneratedFile>(output.ToImmutableArray()), new EquatableArray<DiagnosticInfo>(diagnostics.ToImmutableArray()));
    }

    private static void Build(EquatableArray<WitSource> files, EquatableArray<Selection> selections, List<DiagnosticInfo> diagnostics,
        List<GeneratedFile> output, CancellationToken cancellation)
    {
        if (files.Count == 0)
        {
            foreach (var selection in selections)
                diagnostics.Add(new DiagnosticInfo(Diagnostics.UnknownInterface.Id,
                    $"no .wit files among AdditionalFiles, so `{selection.InterfaceName}` cannot be found (add <AdditionalFiles Include=\"wit/**/*.wit\" />)", selection.Location));
            return;
        }
        var packages = WitLoader.Load(files.Items, diagnostics);
        if (packages is null) return;
        cancellation.ThrowIfCancellationRequested();

        var chosen = new List<(WitInterface Interface, string Namespace, LocationInfo? Location)>();
        foreach (var selection in selections)
        {
            var iface = Find(packages, selection, diagnostics);
            if (iface is null) continue;
            if (chosen.Any(c => c.Interface == iface))
            {
                diagnostics.Add(new DiagnosticInfo(Diagnostics.InvalidSelection.Id, $"`{iface.QualifiedName}` is selected more than once", selection.Location));
                continue;
            }
            var ns = selection.Namespace ?? $"{Naming.Pascal(iface.Package.Name.Namespace)}.{Naming.Pascal(iface.Package.Name.Name)}";
            if (!IsNamespace(ns))
            {
                diagnostics.Add(new DiagnosticInfo(Diagnostics.InvalidSelection.Id, $"`{ns}` is not a C# namespace name", selection.Location));
                continue;
            }
            chosen.Add((iface, ns, selection.Location));
        }

        // Selected interfaces first, then the interfaces they take types from (transitively), each
        // in the namespace of the first interface that needs it.
        var model = new BindingModel();
        var classNames = new Dictionary<string, NameScope>(StringComparer.Ordinal);
        var containers = new Dictionary<WitInterface, Container>();
        Container Add(WitInterface iface, string ns, bool selected, LocationInfo? location)
        {
            if (!classNames.TryGetValue(ns, out var scope)) classNames[ns] = scope = new NameScope();
            var pascal = Naming.Pascal(iface.Name!);
            var name = scope.Claim(pascal);
            if (name != pascal) name = scope.Claim(Naming.Pascal(iface.Package.Name.Name) + pascal);
            var container = new Container(iface, ns, name, selected, location);
            containers[iface] = container;
            model.Add(container);
            return container;
        }
        foreach (var (iface, ns, location) in chosen) Add(iface, ns, selected: true, location);
        var pending = new Queue<Container>(model.Containers);
        while (pending.Count > 0)
        {
            var container = pending.Dequeue();
            foreach (var dependency in container.Interface.Dependencies)
                if (!containers.ContainsKey(dependency)) pending.Enqueue(Add(dependency, container.Namespace, selected: false, container.Location));
        }

        foreach (var container in model.Containers)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                output.Add(ContainerEmitter.Emit(model, container));
            }
            catch (NotSupportedException e)
            {
                diagnostics.Add(new DiagnosticInfo(Diagnostics.Unsupported.Id, $"{container.Interface.QualifiedName}: {e.Message}", container.Location));
            }
        }
    }

    /// <summary>Finds `ns:pkg/iface@version` (the version may be left out when one version exists).</summary>
    private static WitInterface? Find(IReadOnlyList<WitPackage> packages, Selection selection, List<DiagnosticInfo> diagnostics)
    {
        var text = selection.InterfaceName;
        int colon = text.IndexOf(':'), slash = text.IndexOf('/'), at = text.IndexOf('@');
        if (colon <= 0 || slash < colon + 2 || slash == text.Length - 1 || (at >= 0 && at < slash + 2))
        {
            diagnostics.Add(new DiagnosticInfo(Diagnostics.InvalidSelection.Id, $"`{text}` is not an interface name `namespace:package/interface[@version]`", selection.Location));
            return null;
        }
        string ns = text.Substring(0, colon), package = text.Substring(colon + 1, slash - colon - 1);
        string name = at < 0 ? text.Substring(slash + 1) : text.Substring(slash + 1, at - slash - 1);
        string? version = at < 0 ? null : text.Substring(at + 1);
        var candidates = packages.Where(p => p.Name.Namespace == ns && p.Name.Name == package && (version is null || p.Name.Version == version)).ToList();
        string known = string.Join(", ", packages.SelectMany(p => p.Interfaces).Select(i => i.QualifiedName));
        if (candidates.Count == 0)
        {
            diagnostics.Add(new DiagnosticInfo(Diagnostics.UnknownInterface.Id,
                $"no WIT package `{ns}:{package}{(version is null ? "" : "@" + version)}` among the .wit files; their interfaces are: {known}", selection.Location));
            return null;
        }
        if (candidates.Count > 1)
        {
            diagnostics.Add(new DiagnosticInfo(Diagnostics.UnknownInterface.Id,
                $"package `{ns}:{package}` exists in several versions ({string.Join(", ", candidates.Select(c => c.Name.Version))}); name one with `@version`", selection.Location));
            return null;
        }
        var found = candidates[0].FindInterface(name);
        if (found is null)
        {
            diagnostics.Add(new DiagnosticInfo(Diagnostics.UnknownInterface.Id,
                $"package `{candidates[0].Name}` has no interface `{name}`; it has: {string.Join(", ", candidates[0].Interfaces.Select(i => i.Name))}", selection.Location));
        }
        return found;
    }

    private static bool IsNamespace(string ns) =>
        ns.Split('.').All(part => part.Length > 0 && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.IsValidIdentifier(part)
            && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(part) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None);
}
