using IronWasm.Components.Wit;

namespace IronWasm.Components.CanonicalAbi;

/// <summary>What a core-module function name produced by standard bindings generators stands for.</summary>
public enum CoreFunctionKind
{
    /// <summary>A plain function: <c>get-temperature</c>.</summary>
    Freestanding,
    /// <summary><c>[constructor]r</c>.</summary>
    Constructor,
    /// <summary><c>[method]r.m</c>.</summary>
    Method,
    /// <summary><c>[static]r.m</c>.</summary>
    Static,
    /// <summary><c>[resource-drop]r</c>.</summary>
    ResourceDrop,
    /// <summary><c>[resource-new]r</c> (imported from <c>[export]iface</c> by the resource's implementer).</summary>
    ResourceNew,
    /// <summary><c>[resource-rep]r</c>.</summary>
    ResourceRep,
    /// <summary><c>[dtor]r</c>: the destructor an implementer exports.</summary>
    Destructor,
}

/// <summary>A parsed core function name. <see cref="Resource"/> is null for a freestanding function;
/// <see cref="Name"/> is the function name (the resource name for constructors and resource intrinsics).</summary>
public readonly record struct CoreFunctionName(CoreFunctionKind Kind, string? Resource, string Name)
{
    public override string ToString() => Kind switch
    {
        CoreFunctionKind.Freestanding => Name,
        CoreFunctionKind.Constructor => $"[constructor]{Resource}",
        CoreFunctionKind.Method => $"[method]{Resource}.{Name}",
        CoreFunctionKind.Static => $"[static]{Resource}.{Name}",
        CoreFunctionKind.ResourceDrop => $"[resource-drop]{Resource}",
        CoreFunctionKind.ResourceNew => $"[resource-new]{Resource}",
        CoreFunctionKind.ResourceRep => $"[resource-rep]{Resource}",
        _ => $"[dtor]{Resource}",
    };
}

/// <summary>An interface name as core modules use it for import modules and export prefixes:
/// <c>wasi:i2c/i2c@0.2.0-draft</c>.</summary>
public readonly record struct CoreInterfaceName(string Namespace, string Package, string Interface, string? Version)
{
    public override string ToString() => Version is null ? $"{Namespace}:{Package}/{Interface}" : $"{Namespace}:{Package}/{Interface}@{Version}";
}

/// <summary>The names standard bindings generators (wit-bindgen and the C SDK) give core imports and
/// exports: imports from module <c>ns:pkg/iface@ver</c> named <c>f</c>, <c>[method]r.m</c>,
/// <c>[static]r.m</c>, <c>[constructor]r</c>, <c>[resource-drop]r</c>; exports named
/// <c>ns:pkg/iface@ver#f</c>, with <c>cabi_post_&lt;export&gt;</c> and <c>cabi_realloc</c>; an
/// implementer of a resource imports <c>[resource-new]r</c> etc. from <c>[export]ns:pkg/iface@ver</c>.</summary>
public static class CoreNames
{
    public const string Realloc = "cabi_realloc";
    public const string PostReturnPrefix = "cabi_post_";
    public const string ExportedModulePrefix = "[export]";

    /// <summary>The post-return function of an export: <c>cabi_post_&lt;export&gt;</c>.</summary>
    public static string PostReturn(string exportName) => PostReturnPrefix + exportName;

    /// <summary><c>iface#function</c>, or just the function for a world-level export.</summary>
    public static string ExportName(string? interfaceName, string functionName) =>
        interfaceName is null ? functionName : $"{interfaceName}#{functionName}";

    /// <summary>The core import name of a WIT function (its canonical name).</summary>
    public static string ImportName(WitFunction function) => function.CanonicalName;

    /// <summary>The import module of an interface: its qualified name.</summary>
    public static string ImportModule(WitInterface @interface) =>
        @interface.QualifiedName ?? throw new ArgumentException("an inline interface has no module name", nameof(@interface));

    /// <summary>The module an implementer imports <c>[resource-new]</c> and friends from.</summary>
    public static string ExportedResourceModule(string interfaceName) => ExportedModulePrefix + interfaceName;

    public static string ResourceDrop(string resource) => $"[resource-drop]{resource}";
    public static string ResourceNew(string resource) => $"[resource-new]{resource}";
    public static string ResourceRep(string resource) => $"[resource-rep]{resource}";
    public static string Destructor(string resource) => $"[dtor]{resource}";

    /// <summary>Parses a function name: <c>f</c>, <c>[method]r.m</c>, <c>[resource-drop]r</c>, ...
    /// Names must be WIT identifiers (kebab-case words).</summary>
    public static bool TryParseFunction(string name, out CoreFunctionName result)
    {
        result = default;
        if (string.IsNullOrEmpty(name)) return false;
        if (name[0] != '[')
        {
            if (!IsIdentifier(name)) return false;
            result = new(CoreFunctionKind.Freestanding, null, name);
            return true;
        }
        int close = name.IndexOf(']');
        if (close < 0) return false;
        string tag = name[1..close], rest = name[(close + 1)..];
        CoreFunctionKind kind;
        switch (tag)
        {
            case "method": kind = CoreFunctionKind.Method; break;
            case "static": kind = CoreFunctionKind.Static; break;
            case "constructor": kind = CoreFunctionKind.Constructor; break;
            case "resource-drop": kind = CoreFunctionKind.ResourceDrop; break;
            case "resource-new": kind = CoreFunctionKind.ResourceNew; break;
            case "resource-rep": kind = CoreFunctionKind.ResourceRep; break;
            case "dtor": kind = CoreFunctionKind.Destructor; break;
            default: return false;
        }
        if (kind is CoreFunctionKind.Method or CoreFunctionKind.Static)
        {
            int dot = rest.IndexOf('.');
            if (dot < 0) return false;
            string resource = rest[..dot], function = rest[(dot + 1)..];
            if (!IsIdentifier(resource) || !IsIdentifier(function)) return false;
            result = new(kind, resource, function);
            return true;
        }
        if (!IsIdentifier(rest)) return false;
        result = new(kind, rest, rest);
        return true;
    }

    public static CoreFunctionName ParseFunction(string name) =>
        TryParseFunction(name, out var result) ? result : throw new FormatException($"`{name}` is not a canonical core function name");

    /// <summary>Parses <c>ns:pkg/iface</c> or <c>ns:pkg/iface@version</c>.</summary>
    public static bool TryParseInterface(string name, out CoreInterfaceName result)
    {
        result = default;
        if (string.IsNullOrEmpty(name)) return false;
        string? version = null;
        int at = name.IndexOf('@');
        string path = name;
        if (at >= 0)
        {
            version = name[(at + 1)..];
            path = name[..at];
            if (!IsVersion(version)) return false;
        }
        int colon = path.IndexOf(':'), slash = path.IndexOf('/');
        if (colon <= 0 || slash < colon) return false;
        string ns = path[..colon], package = path[(colon + 1)..slash], iface = path[(slash + 1)..];
        if (!IsIdentifier(ns) || !IsIdentifier(package) || !IsIdentifier(iface)) return false;
        result = new(ns, package, iface, version);
        return true;
    }

    public static CoreInterfaceName ParseInterface(string name) =>
        TryParseInterface(name, out var result) ? result : throw new FormatException($"`{name}` is not an interface name `ns:pkg/iface[@version]`");

    /// <summary>Splits an export name <c>iface#function</c>; <paramref name="interfaceName"/> is null
    /// for a world-level export. Both parts are checked.</summary>
    public static bool TryParseExport(string name, out CoreInterfaceName? interfaceName, out CoreFunctionName function)
    {
        interfaceName = null;
        function = default;
        if (string.IsNullOrEmpty(name)) return false;
        int hash = name.LastIndexOf('#');
        if (hash < 0) return TryParseFunction(name, out function);
        if (!TryParseInterface(name[..hash], out var iface) || !TryParseFunction(name[(hash + 1)..], out function)) return false;
        interfaceName = iface;
        return true;
    }

    /// <summary>A WIT identifier: kebab-case words of letters and digits, each starting with a
    /// letter, all lower or all upper case; an optional leading `%` escapes keywords.</summary>
    public static bool IsIdentifier(string text)
    {
        var s = text.AsSpan();
        if (s.Length > 0 && s[0] == '%') s = s[1..];
        if (s.IsEmpty) return false;
        foreach (var word in s.ToString().Split('-'))
        {
            if (word.Length == 0 || !char.IsAsciiLetter(word[0])) return false;
            bool lower = false, upper = false;
            foreach (char c in word)
            {
                if (char.IsAsciiLetterLower(c)) lower = true;
                else if (char.IsAsciiLetterUpper(c)) upper = true;
                else if (!char.IsAsciiDigit(c)) return false;
            }
            if (lower && upper) return false;
        }
        return true;
    }

    private static bool IsVersion(string version)
    {
        // Semantic version: major.minor.patch, then optional -pre and +build of [0-9A-Za-z.-].
        int end = version.IndexOfAny(['-', '+']);
        var core = (end < 0 ? version : version[..end]).Split('.');
        if (core.Length != 3 || core.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit))) return false;
        return end < 0 || (version.Length > end + 1 && version[(end + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+'));
    }
}
