using System.Text;
using System.Text.Json;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Linking;

/// <summary>A component of a link plan: a core module file playing a world of a WIT package.
/// <see cref="Wit"/> (a directory or `.wit` file) overrides the plan's; paths are relative to the plan.</summary>
public sealed record PlannedComponent(string Name, string Module, string? World, string? Wit);

/// <summary>A link of a plan: <see cref="Importer"/>'s import of <see cref="Interface"/> is
/// satisfied by <see cref="Exporter"/>'s export of <see cref="ExportInterface"/> (the same
/// interface when null).</summary>
public sealed record PlannedLink(string Importer, string Interface, string Exporter, string? ExportInterface = null)
{
    public override string ToString() => $"{Importer}.import {Interface} <- {Exporter}.export {ExportInterface ?? Interface}";
}

/// <summary>Which modules play which worlds and which imports are wired to which exports, declared
/// in a JSON file (comments and trailing commas allowed):
/// <code>
/// {
///   "wit": "../wit/example",
///   "components": [
///     { "name": "sensor", "module": "driver-sim.wasm", "world": "driver" },
///     { "name": "app", "module": "app.wasm", "world": "app" }
///   ],
///   "links": [
///     { "import": "app", "interface": "ironwasm:example/thermometer@0.1.0", "export": "sensor" }
///   ]
/// }
/// </code>
/// A link may name the exporter's interface separately (<c>"exportInterface"</c>) when the two sides
/// were built against different packages. <see cref="CreateHost"/> loads everything and checks it.</summary>
public sealed class LinkPlan
{
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private LinkPlan(string source, string baseDirectory, string? wit, IReadOnlyList<PlannedComponent> components, IReadOnlyList<PlannedLink> links)
    {
        Source = source;
        BaseDirectory = baseDirectory;
        Wit = wit;
        Components = components;
        Links = links;
    }

    /// <summary>Where the plan came from (its file), for messages.</summary>
    public string Source { get; }

    /// <summary>The directory relative paths are resolved against.</summary>
    public string BaseDirectory { get; }

    /// <summary>The WIT (directory or `.wit` file) of components that name none.</summary>
    public string? Wit { get; }

    public IReadOnlyList<PlannedComponent> Components { get; }

    public IReadOnlyList<PlannedLink> Links { get; }

    /// <exception cref="ComponentLinkException">The file is not a valid plan.</exception>
    public static LinkPlan Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"link plan not found: {path}", path);
        var full = Path.GetFullPath(path);
        return Parse(File.ReadAllText(full), Path.GetDirectoryName(full)!, path);
    }

    /// <summary>Parses plan text; relative paths in it are taken from <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="ComponentLinkException">The text is not a valid plan.</exception>
    public static LinkPlan Parse(string json, string baseDirectory, string source = "link plan")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new ComponentLinkException($"{source}: not valid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Error(source, "the plan must be a JSON object");
            string? wit = OptionalString(root, "wit", source, "the plan");
            var components = new List<PlannedComponent>();
            foreach (var item in RequiredArray(root, "components", source))
            {
                string name = RequiredString(item, "name", source, "a component");
                if (components.Any(c => c.Name == name)) throw Error(source, $"two components are named `{name}`");
                if (name.Contains('.') || name.Contains('/') || name.Any(char.IsWhiteSpace))
                    throw Error(source, $"component name `{name}` may not contain '.', '/' or spaces");
                string what = $"component `{name}`";
                components.Add(new PlannedComponent(name, RequiredString(item, "module", source, what),
                    OptionalString(item, "world", source, what), OptionalString(item, "wit", source, what)));
                if (wit is null && components[^1].Wit is null) throw Error(source, $"{what} names no \"wit\", and the plan has none");
            }
            if (components.Count == 0) throw Error(source, "\"components\" is empty");
            var links = new List<PlannedLink>();
            foreach (var item in root.TryGetProperty("links", out _) ? RequiredArray(root, "links", source) : [])
            {
                var link = new PlannedLink(RequiredString(item, "import", source, "a link"), RequiredString(item, "interface", source, "a link"),
                    RequiredString(item, "export", source, "a link"), OptionalString(item, "exportInterface", source, "a link"));
                foreach (var side in new[] { link.Importer, link.Exporter })
                {
                    if (!components.Any(c => c.Name == side))
                        throw Error(source, $"link {link} names `{side}`, which is not a component of the plan ({string.Join(", ", components.Select(c => c.Name))})");
                }
                links.Add(link);
            }
            return new LinkPlan(source, baseDirectory, wit, components, links);
        }
    }

    /// <summary>The plan in words: its components and its links.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"link plan {Source}");
        if (Wit is not null) text.AppendLine($"wit: {Wit}");
        text.AppendLine("components:");
        foreach (var component in Components)
        {
            text.Append($"  {component.Name}: module {component.Module}, world {component.World ?? "(the only one)"}");
            text.AppendLine(component.Wit is null ? "" : $", wit {component.Wit}");
        }
        text.AppendLine("links:");
        if (Links.Count == 0) text.AppendLine("  (none)");
        foreach (var link in Links) text.AppendLine($"  {link}");
        return text.ToString();
    }

    /// <summary>A path of the plan, made absolute against <see cref="BaseDirectory"/>.</summary>
    public string ResolvePath(string path) => Path.GetFullPath(path, BaseDirectory);

    /// <summary>Loads the WIT and modules, declares the components and links (comparing the WIT
    /// types of each link's sides) and validates the modules. Set
    /// <see cref="ComponentHost.DefineHostImports"/> if needed, then call
    /// <see cref="ComponentHost.Instantiate"/>.</summary>
    /// <exception cref="ComponentLinkException">The plan does not link.</exception>
    /// <exception cref="WitException">A WIT package is invalid.</exception>
    /// <exception cref="WasmException">A module is invalid.</exception>
    public ComponentHost CreateHost(Engine engine, Store? store = null)
    {
        var host = new ComponentHost(engine, store);
        var packages = new Dictionary<string, WitResolvedPackage>();
        foreach (var component in Components)
        {
            string witPath = ResolvePath(component.Wit ?? Wit!);
            if (!packages.TryGetValue(witPath, out var package))
            {
                package = Directory.Exists(witPath) ? WitPackageLoader.LoadDirectory(witPath)
                    : File.Exists(witPath) ? WitPackageLoader.LoadFile(witPath)
                    : throw Error(Source, $"component `{component.Name}`: WIT not found: {witPath}");
                packages[witPath] = package;
            }
            WitWorld world;
            try
            {
                world = package.SelectWorld(component.World);
            }
            catch (WitException e)
            {
                throw Error(Source, $"component `{component.Name}`: {e.Message}");
            }
            string modulePath = ResolvePath(component.Module);
            if (!File.Exists(modulePath)) throw Error(Source, $"component `{component.Name}`: module not found: {modulePath}");
            host.AddComponent(component.Name, Module.FromFile(engine, modulePath), world);
        }
        foreach (var link in Links) host.Link(link.Importer, link.Interface, link.Exporter, link.ExportInterface);
        host.Validate();
        return host;
    }

    private static ComponentLinkException Error(string source, string message) => new($"{source}: {message}");

    private static JsonElement.ArrayEnumerator RequiredArray(JsonElement element, string property, string source)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.Array)
            throw Error(source, $"the plan needs an array \"{property}\"");
        return value.EnumerateArray();
    }

    private static string RequiredString(JsonElement element, string property, string source, string what) =>
        OptionalString(element, property, source, what) ?? throw Error(source, $"{what} needs a string \"{property}\"");

    private static string? OptionalString(JsonElement element, string property, string source, string what)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Error(source, $"{what} must be a JSON object");
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            throw Error(source, $"\"{property}\" of {what} must be a non-empty string");
        return text;
    }
}
