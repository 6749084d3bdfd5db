using System.Diagnostics;
using System.Globalization;

namespace IronWasm.Benchmarks.Hardware;

/// <summary><c>-- first-reading</c>: a compiled HTS221 driver this process has never loaded, from its
/// bytes to its first sensor reading (load, instantiate with the hardware host, attach, read), for
/// three kinds of compiled module: IL loaded as an assembly (tier-0 JIT of each function on first
/// call), IL loaded as DynamicMethods (fully optimised JIT on first call) and IL with native code
/// (<see cref="Module.SerializeWithNativeCode"/>, loaded as an assembly). Each kind in a process of its
/// own, rounds alternating; within a process, first readings of other copies with pauses between them
/// warm the host's and the engine's code up first, as in a host that has run a while.</summary>
internal static class FirstReadingBench
{
    private const string Usage = """
        usage: IronWasm.Benchmarks first-reading [--rounds N] [--readings N]
          the HTS221 driver (guests/drivers/hts221.wasm, compiled, never loaded before) to its first
          reading, as IL loaded as an assembly, IL loaded as DynamicMethods, and IL + native code
          (crossgen2, which must be found: see Module.SerializeWithNativeCode); a process per kind and round
          --rounds N     processes per kind (3)
          --readings N   timed first readings per process (8)
        """;

    private const int WarmupRounds = 3, WarmupReadingsPerRound = 4;

    private static readonly string[] Kinds = ["il-assembly", "il-dynamic-methods", "native-assembly"];

    public static int Run(string[] args)
    {
        if (args is ["child", var childKind, var readingsText]) return Child(childKind, int.Parse(readingsText, CultureInfo.InvariantCulture));
        int rounds = 3, readings = 8;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds" when i + 1 < args.Length && int.TryParse(args[i + 1], out rounds) && rounds > 0: i++; break;
                case "--readings" when i + 1 < args.Length && int.TryParse(args[i + 1], out readings) && readings > 0: i++; break;
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                default: Console.Error.WriteLine($"first-reading: cannot use '{args[i]}'\n{Usage}"); return 2;
            }
        }
        var medians = Kinds.ToDictionary(k => k, _ => new List<double>());
        var jit = Kinds.ToDictionary(k => k, _ => new List<double>());
        Console.WriteLine($"# HTS221 driver, never loaded, to its first reading; {rounds} rounds, {readings} readings per process; load average {Measurement.LoadAverage()}");
        for (int round = 0; round < rounds; round++)
        {
            foreach (var kind in Kinds)
            {
                var (median, jitMedian) = RunChild(kind, readings);
                Console.WriteLine($"round {round + 1}  {kind,-20} median {median,7:F2} ms  (JIT {jitMedian,6:F2} ms)");
                medians[kind].Add(median);
                jit[kind].Add(jitMedian);
            }
        }
        Console.WriteLine();
        Console.WriteLine("| compiled module, loading | first reading (ms) | of which JIT compilation (ms) | / IL as an assembly |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        double baseline = Measurement.Median(medians[Kinds[0]]);
        foreach (var kind in Kinds)
            Console.WriteLine($"| {kind} | {Measurement.Median(medians[kind]):F2} [{medians[kind].Min():F2}, {medians[kind].Max():F2}] | {Measurement.Median(jit[kind]):F2} | {Measurement.Median(medians[kind]) / baseline:F2} |");
        Console.WriteLine($"(median of the rounds' medians, [lowest, highest]; load average now {Measurement.LoadAverage()})");
        return 0;
    }

    private static (double Median, double Jit) RunChild(string kind, int readings)
    {
        var fields = Measurement.RunChild(["first-reading", "child", kind, readings.ToString(CultureInfo.InvariantCulture)],
            "first_reading_ms=", $"first-reading child ({kind})").Split(' ');
        return (double.Parse(fields[0], CultureInfo.InvariantCulture), double.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    private static int Child(string kind, int readings)
    {
        bool native = kind == "native-assembly";
        var loading = kind == "il-dynamic-methods" ? CompiledCodeLoading.DynamicMethods : CompiledCodeLoading.Assembly;
        using var hardware = new BenchHardware();
        var engine = new Engine(new Config().WithCompiledCodeLoading(loading));
        var driver = BenchHardware.Guest("drivers/hts221");
        int count = WarmupRounds * WarmupReadingsPerRound + readings;
        var copies = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            var module = Module.FromBytes(engine, "hts221", Measurement.DistinctCopy(driver, i));
            copies[i] = native ? module.SerializeWithNativeCode() : module.Serialize();
        }
        var times = new List<double>();
        var jitTimes = new List<double>();
        for (int i = 0; i < count; i++)
        {
            if (i < WarmupRounds * WarmupReadingsPerRound && i % WarmupReadingsPerRound == 0) Thread.Sleep(300);
            var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
            long start = Stopwatch.GetTimestamp();
            var (components, read) = hardware.AttachSensorDriver(engine, Module.Deserialize(engine, copies[i]));
            float temperature = BenchHardware.Temperature(read.Invoke()!.Value);
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            double jitMs = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalMilliseconds;
            hardware.Release(components);
            if (Math.Abs(temperature - 21.5f) > 0.05f) throw new InvalidOperationException($"the driver read {temperature} °C");
            if (i >= WarmupRounds * WarmupReadingsPerRound)
            {
                times.Add(ms);
                jitTimes.Add(jitMs);
            }
        }
        Console.WriteLine(FormattableString.Invariant($"first_reading_ms={Measurement.Median(times):F3} {Measurement.Median(jitTimes):F3}"));
        return 0;
    }
}
