namespace IronWasm.SpecTests;

/// <summary>Finds ../shared/wasm-testsuite beside the repository, from wherever the runner was started.</summary>
internal static class SuiteLocator
{
    public static string? Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "wasm-testsuite");
                if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "shared", "wasm-testsuite", "i32.wast")))
                    return candidate;
            }
        }
        return null;
    }
}
