using System.Diagnostics;
using System.Globalization;

namespace IronWasm.Benchmarks;

/// <summary><c>-- first-load</c>: in-process loading plus instantiation of compiled modules this process
/// has never loaded, for each way of loading compiled code, each (module, loading) pair in a process of
/// its own. <see cref="CacheFirstLoadBenchmarks"/> measures the same under BenchmarkDotNet, but in one
/// process for all pairs, where the assemblies earlier pairs loaded (which stay for good) and their
/// garbage weigh on the later ones; here every pair starts from the same state, and the pairs alternate
/// over several rounds.</summary>
/// <remarks>A child compiles distinct copies of its module (a custom section with the copy's number
/// makes the bytes differ), then times groups of eight first loads, each group after a forced
/// collection as BenchmarkDotNet's iterations are, and prints the per-load median, 10th and 90th
/// percentiles of the groups after the first ten (spaced by pauses that let the runtime finish tiering
/// up the engine's code).</remarks>
internal static class FirstLoadBench
{
    private const string Usage = """
        usage: IronWasm.Benchmarks first-load [--rounds N] [--groups N] [MODULE.wasm ...]
          Deserialize + instantiate compiled modules never loaded before in the process, loaded as an
          assembly and as DynamicMethods; a child process per module, loading and round, alternating.
          --rounds N   child processes per module and loading (3)
          --groups N   timed groups of eight loads per child (40)
          modules default to bench/programs/interp.wasm guests/drivers/hts221.wasm guests/hello.wasm
          (paths relative to the working directory: run it from the repository root)
        """;

    private const int LoadsPerGroup = 8, WarmupGroups = 10;

    public static int Run(string[] args)
    {
        if (args is ["child", var path, var loadingName, var groupText]) return Child(path, Enum.Parse<CompiledCodeLoading>(loadingName), int.Parse(groupText, CultureInfo.InvariantCulture));
        int rounds = 3, groups = 40;
        var modules = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], out rounds) && rounds > 0: i++; break;
                case "--groups" when i + 1 < args.Length && int.TryParse(args[i + 1], out groups) && groups > 0: i++; break;
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                case var module when !module.StartsWith('-') && File.Exists(module): modules.Add(module); break;
                default: Console.Error.WriteLine($"first-load: cannot use '{args[i]}'\n{Usage}"); return 2;
            }
        }
        if (modules.Count == 0) modules.AddRange(["bench/programs/interp.wasm", "guests/drivers/hts221.wasm", "guests/hello.wasm"]);
        var missing = modules.FirstOrDefault(m => !File.Exists(m));
        if (missing is not null)
        {
            Console.Error.WriteLine($"first-load: {missing} not found (run from the repository root)");
            return 2;
        }

        var loadings = Enum.GetValues<CompiledCodeLoading>();
        var medians = new Dictionary<(string, CompiledCodeLoading), List<double>>();
        Console.WriteLine($"# first load + instantiate, µs per load; {rounds} rounds, {groups} groups of {LoadsPerGroup} per child; load average {Measurement.LoadAverage()}");
        for (int round = 0; round < rounds; round++)
        {
            foreach (var module in modules)
            {
                foreach (var loading in loadings)
                {
                    var (median, p10, p90) = RunChild(module, loading, groups);
                    Console.WriteLine($"round {round + 1}  {module,-30} {loading,-14} median {median,7:F1}  p10 {p10,7:F1}  p90 {p90,7:F1}");
                    (medians.TryGetValue((module, loading), out var list) ? list : medians[(module, loading)] = []).Add(median);
                }
            }
        }
        Console.WriteLine();
        Console.WriteLine($"| module | {string.Join(" | ", loadings.Select(l => $"{l} (µs)"))} | DynamicMethods / Assembly |");
        Console.WriteLine($"| --- | {string.Join(" | ", loadings.Select(_ => "---:"))} | ---: |");
        foreach (var module in modules)
        {
            var cells = loadings.Select(l => medians[(module, l)]).ToArray();
            double ratio = Measurement.Median(medians[(module, CompiledCodeLoading.DynamicMethods)]) / Measurement.Median(medians[(module, CompiledCodeLoading.Assembly)]);
            Console.WriteLine($"| {module} | {string.Join(" | ", cells.Select(c => $"{Measurement.Median(c):F1} [{c.Min():F1}, {c.Max():F1}]"))} | {ratio:F2} |");
        }
        Console.WriteLine($"(median of the rounds' medians, [lowest, highest]; load average now {Measurement.LoadAverage()})");
        return 0;
    }

    private static (double Median, double P10, double P90) RunChild(string module, CompiledCodeLoading loading, int groups)
    {
        var fields = Measurement.RunChild(["first-load", "child", module, loading.ToString(), groups.ToString(CultureInfo.InvariantCulture)],
            "first_load_us=", $"first-load child for {module} ({loading})").Split(' ');
        return (Parse(fields[0]), Parse(fields[1]), Parse(fields[2]));
    }

    private static int Child(string path, CompiledCodeLoading loading, int groups)
    {
        var wasm = File.ReadAllBytes(path);
        var engine = new Engine(new Config().WithCompiledCodeLoading(loading));
        var copies = new byte[(groups + WarmupGroups) * LoadsPerGroup][];
        for (int i = 0; i < copies.Length; i++)
            copies[i] = Module.FromBytes(engine, "first-load", Measurement.DistinctCopy(wasm, i)).Serialize();
        var linker = new Linker(engine);
        foreach (var import in Module.Deserialize(engine, copies[0]).Imports)
        {
            var results = import.FunctionType!.Results;
            linker.DefineFunction(import.ModuleName, import.Name, import.FunctionType, (_, _, outputs) =>
            {
                for (int i = 0; i < results.Count; i++) outputs[i] = WasmValue.FromInt32(0);
            });
        }
        // Copy 0 was loaded to read the imports; the groups use the others.
        var perLoad = new List<double>();
        int next = 1;
        for (int group = 0; group < groups + WarmupGroups && next + LoadsPerGroup <= copies.Length; group++)
        {
            // The engine's own code is tiered up by the runtime once calls to it pause for 100 ms, in
            // two steps with dynamic PGO (instrumented, then optimised): a host that has run a while
            // has it optimised, so the warm-up groups are spaced by pauses.
            if (group < WarmupGroups) Thread.Sleep(300);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < LoadsPerGroup; i++) linker.Instantiate(new Store(engine), Module.Deserialize(engine, copies[next++]));
            if (group >= WarmupGroups) perLoad.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds / LoadsPerGroup);
        }
        perLoad.Sort();
        Console.WriteLine(FormattableString.Invariant($"first_load_us={Measurement.Median(perLoad):F2} {perLoad[perLoad.Count / 10]:F2} {perLoad[perLoad.Count * 9 / 10]:F2}"));
        return 0;
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
