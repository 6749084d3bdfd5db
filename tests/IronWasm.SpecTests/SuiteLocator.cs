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

    public static string DefaultKnownFailuresFile() => Path.Combine(AppContext.BaseDirectory, "known-failures.txt");
}

/// <summary>Failures the project knows of and has not fixed yet, one "file.wast:line" per line.
/// Listing them keeps CI meaningful (a new failure fails the run) while the count of all
/// failures is still printed in full.</summary>
internal static class KnownFailures
{
    public static HashSet<string> Load(string path)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return set;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            set.Add(line.Split(' ', 2)[0]);
        }
        return set;
    }
}
