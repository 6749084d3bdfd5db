namespace IronWasm.Tests.Text;

/// <summary>The spec test suite folder (shared/wasm-testsuite beside the repository), if it is there.</summary>
internal static class SpecSuite
{
    public static readonly string? Folder = Find();

    public static string SkipReason => "the spec test suite (shared/wasm-testsuite beside the repository) is not present";

    /// <summary>The top-level .wast files (the WebAssembly 2.0 scope), by file name.</summary>
    public static IEnumerable<object[]> TopLevelScripts() =>
        Folder is null
            ? [["(no suite)"]]
            : Directory.GetFiles(Folder, "*.wast").Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(f => new object[] { f! });

    public static string ReadScript(string fileName) => File.ReadAllText(Path.Combine(Folder!, fileName));

    private static string? Find([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        // The test host may run from a build output folder far from the repository (an --artifacts-path),
        // so this source file's own location is tried too.
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = start.Length > 0 ? new DirectoryInfo(start) : null; dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "wasm-testsuite");
                if (File.Exists(Path.Combine(candidate, "i32.wast"))) return candidate;
            }
        }
        return null;
    }
}

/// <summary>A theory over the spec suite's scripts, skipped (not passed) when the suite is absent.</summary>
public sealed class SpecSuiteTheoryAttribute : TheoryAttribute
{
    public SpecSuiteTheoryAttribute()
    {
        if (SpecSuite.Folder is null) Skip = SpecSuite.SkipReason;
    }
}

/// <summary>A fact over the whole spec suite, skipped (not passed) when the suite is absent.</summary>
public sealed class SpecSuiteFactAttribute : FactAttribute
{
    public SpecSuiteFactAttribute()
    {
        if (SpecSuite.Folder is null) Skip = SpecSuite.SkipReason;
    }
}
