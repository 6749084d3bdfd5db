namespace IronWasm.Components.Wit;

/// <summary>Loads and resolves WIT. This is the entry point: parse errors and resolution errors
/// both surface as <see cref="WitException"/> with the file, line and column.</summary>
/// <example><code>
/// var wit = WitPackageLoader.LoadDirectory("wit");        // wit/*.wit + wit/deps/*
/// var world = wit.SelectWorld();                            // the root package's only world
/// foreach (var import in world.Imports) ...
/// </code></example>
public static class WitPackageLoader
{
    /// <summary>Loads a package directory as WIT.md's "Root Package: A Directory" describes: all
    /// `*.wit` files in <paramref name="path"/> form the root package; each entry of
    /// <c>path/deps/</c> is a dependency, either a directory of `*.wit` files or one `.wit` file
    /// (dependency directories have no `deps` of their own).</summary>
    /// <exception cref="WitException">The WIT is invalid, or the directory has no `.wit` files.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="path"/> does not exist.</exception>
    public static WitResolvedPackage LoadDirectory(string path)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"WIT directory not found: {path}");
        var root = ParseDirectory(path);
        var dependencies = new List<WitResolver.Unit>();
        var deps = Path.Combine(path, "deps");
        if (Directory.Exists(deps))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(deps).Order(StringComparer.Ordinal))
            {
                if (Directory.Exists(entry)) dependencies.Add(ParseDirectory(entry));
                else if (entry.EndsWith(".wit", StringComparison.Ordinal)) dependencies.Add(ParseFile(entry));
            }
        }
        return WitResolver.Resolve(root, dependencies);
    }

    /// <summary>Loads one file as the root package (WIT.md, "Root Package: A File"); its
    /// dependencies come from `package x { ... }` blocks in the file, or from
    /// <paramref name="dependencyPaths"/> (files or directories of `.wit` files).</summary>
    public static WitResolvedPackage LoadFile(string path, params IEnumerable<string> dependencyPaths)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"WIT file not found: {path}", path);
        var dependencies = dependencyPaths.Select(d => Directory.Exists(d) ? ParseDirectory(d) : ParseFile(d)).ToList();
        return WitResolver.Resolve(ParseFile(path), dependencies);
    }

    /// <summary>Loads WIT text as the root package; <paramref name="fileName"/> appears in error
    /// messages. <paramref name="dependencies"/> are further texts, each one package
    /// (as (fileName, text) pairs).</summary>
    public static WitResolvedPackage LoadText(string text, string fileName = "input.wit", params IEnumerable<(string FileName, string Text)> dependencies)
    {
        var root = new WitResolver.Unit(fileName, [WitParser.Parse(text, fileName)]);
        var deps = dependencies.Select(d => new WitResolver.Unit(d.FileName, [WitParser.Parse(d.Text, d.FileName)])).ToList();
        return WitResolver.Resolve(root, deps);
    }

    /// <summary>Loads several texts that together form one package (like the files of one directory).</summary>
    public static WitResolvedPackage LoadTexts(IEnumerable<(string FileName, string Text)> files)
    {
        var documents = files.Select(f => WitParser.Parse(f.Text, f.FileName)).ToList();
        return WitResolver.Resolve(new WitResolver.Unit(documents.FirstOrDefault()?.File ?? "input.wit", documents), []);
    }

    /// <summary>Loads WIT held in memory the way <see cref="LoadDirectory"/> loads a directory:
    /// <paramref name="root"/> holds the files of the root package, and each element of
    /// <paramref name="dependencies"/> the files of one dependency (one `deps/` entry).</summary>
    public static WitResolvedPackage LoadTexts(IEnumerable<(string FileName, string Text)> root, IEnumerable<IEnumerable<(string FileName, string Text)>> dependencies)
    {
        static WitResolver.Unit Unit(IEnumerable<(string FileName, string Text)> files)
        {
            var documents = files.Select(f => WitParser.Parse(f.Text, f.FileName)).ToList();
            return new WitResolver.Unit(documents.FirstOrDefault()?.File ?? "input.wit", documents);
        }
        return WitResolver.Resolve(Unit(root), dependencies.Select(Unit).ToList());
    }

    private static WitResolver.Unit ParseDirectory(string path)
    {
        var files = Directory.EnumerateFiles(path, "*.wit").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new WitException(path, "the directory has no .wit files");
        return new WitResolver.Unit(path, files.Select(ParseDocument).ToList());
    }

    private static WitResolver.Unit ParseFile(string path) => new(path, [ParseDocument(path)]);

    private static WitDocumentSyntax ParseDocument(string path) => WitParser.Parse(File.ReadAllText(path), path);
}
