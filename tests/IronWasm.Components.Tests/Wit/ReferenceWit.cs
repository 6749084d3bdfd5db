namespace IronWasm.Components.Tests.Wit;

/// <summary>The reference WIT packages (shared/reference/wit beside the repository), if present.</summary>
internal static class ReferenceWit
{
    public static readonly string? Folder = Find();

    public static string SkipReason => "the reference WIT packages (shared/reference/wit beside the repository) are not present";

    /// <summary>The package directories, by name.</summary>
    public static IEnumerable<object[]> PackageDirectories() =>
        Folder is null
            ? [["(no reference WIT)"]]
            : Directory.GetDirectories(Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(d => new object[] { d! });

    public static string PathOf(string package) => Path.Combine(Folder!, package);

    private static string? Find([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        // The test host may run from a build output folder far from the repository (an --artifacts-path),
        // so this source file's own location is tried too.
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = start.Length > 0 ? new DirectoryInfo(start) : null; dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "reference", "wit");
                if (Directory.Exists(candidate) && Directory.EnumerateDirectories(candidate).Any()) return candidate;
            }
        }
        return null;
    }
}

/// <summary>A theory over the reference WIT packages, skipped (not passed) when they are absent.</summary>
public sealed class ReferenceWitTheoryAttribute : TheoryAttribute
{
    public ReferenceWitTheoryAttribute()
    {
        if (ReferenceWit.Folder is null) Skip = ReferenceWit.SkipReason;
    }
}

/// <summary>A fact about the reference WIT packages, skipped (not passed) when they are absent.</summary>
public sealed class ReferenceWitFactAttribute : FactAttribute
{
    public ReferenceWitFactAttribute()
    {
        if (ReferenceWit.Folder is null) Skip = ReferenceWit.SkipReason;
    }
}
