using System.Security.Cryptography;
using IronWasm.Text;

namespace IronWasm.Fuzzing;

/// <summary>The modules mutations start from: the built-in seeds, then every module of the spec suite's
/// top-level scripts (valid or not: near-misses are good seeds), then any .wasm/.wat files of an extra
/// corpus folder. The order is fixed (sorted paths, script order) and duplicates are dropped, so a
/// (seed, index) pair names the same module wherever the same inputs are present.</summary>
internal sealed class SeedCorpus
{
    private SeedCorpus(IReadOnlyList<byte[]> modules, int builtIn, int fromSuite, int fromFolder, string? suite)
    {
        Modules = modules;
        BuiltInCount = builtIn;
        SuiteCount = fromSuite;
        FolderCount = fromFolder;
        SuiteDirectory = suite;
        var engine = new Engine();
        ValidIndices = Enumerable.Range(0, modules.Count).Where(i => Module.GetValidationError(engine, modules[i]) is null).ToArray();
    }

    public IReadOnlyList<byte[]> Modules { get; }
    public int BuiltInCount { get; }
    public int SuiteCount { get; }
    public int FolderCount { get; }
    public string? SuiteDirectory { get; }

    /// <summary>Indices of the seeds that decode and validate.</summary>
    public IReadOnlyList<int> ValidIndices { get; }

    public override string ToString() =>
        $"{Modules.Count} seed modules ({ValidIndices.Count} valid; {BuiltInCount} built in, {SuiteCount} from {SuiteDirectory ?? "no spec suite"}, {FolderCount} from the corpus folder)";

    /// <summary>Loads the corpus. <paramref name="suiteDirectory"/> null means locate the suite; pass
    /// <paramref name="useSuite"/> false to use the built-in seeds (and folder) only.</summary>
    public static SeedCorpus Load(bool useSuite = true, string? suiteDirectory = null, string? extraFolder = null)
    {
        var modules = new List<byte[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(byte[] module)
        {
            if (seen.Add(Convert.ToHexString(SHA256.HashData(module)))) modules.Add(module);
        }

        foreach (var module in BuiltInSeeds.Binaries()) Add(module);
        int builtIn = modules.Count;

        string? suite = useSuite ? suiteDirectory ?? LocateSuite() : null;
        if (suite is not null)
        {
            foreach (var path in Directory.GetFiles(suite, "*.wast").Order(StringComparer.Ordinal))
                foreach (var module in ModulesOf(path)) Add(module);
        }
        int fromSuite = modules.Count - builtIn;

        if (extraFolder is not null)
        {
            foreach (var path in Directory.GetFiles(extraFolder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (path.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase)) Add(File.ReadAllBytes(path));
                else if (path.EndsWith(".wat", StringComparison.OrdinalIgnoreCase) && TryParseText(File.ReadAllText(path)) is { } binary) Add(binary);
            }
        }
        return new SeedCorpus(modules, builtIn, fromSuite, modules.Count - builtIn - fromSuite, suite);
    }

    /// <summary>The folder named by IRONWASM_TESTSUITE (as for the spec runner), else shared/wasm-testsuite
    /// found in or above the current directory or the application's.</summary>
    public static string? LocateSuite()
    {
        if (Environment.GetEnvironmentVariable("IRONWASM_TESTSUITE") is { Length: > 0 } named && Directory.Exists(named)) return named;
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "wasm-testsuite");
                if (File.Exists(Path.Combine(candidate, "i32.wast"))) return candidate;
            }
        }
        return null;
    }

    private static IEnumerable<byte[]> ModulesOf(string path)
    {
        WastScript script;
        try
        {
            script = WastParser.Parse(File.ReadAllText(path), Path.GetFileName(path));
        }
        catch (WasmException)
        {
            yield break;
        }
        foreach (var command in script.Commands)
        {
            var source = command switch
            {
                WastModuleCommand c => c.Module,
                WastAssertInvalid c => c.Module,
                WastAssertMalformed c => c.Module,
                WastAssertUnlinkable c => c.Module,
                WastAssertUninstantiable c => c.Module,
                WastAssertTrap { Module: { } m } => m,
                _ => null,
            };
            if (source is null) continue;
            if (source.Binary is { } binary) yield return binary;
            else if (source.QuoteText is { } text && TryParseText(text) is { } quoted) yield return quoted;
        }
    }

    private static byte[]? TryParseText(string text)
    {
        try
        {
            return WatParser.ParseModule(text);
        }
        catch (WasmFormatException)
        {
            return null;
        }
    }
}
