using System.Globalization;

namespace IronWasm.Fuzz;

/// <summary>The command line of the harness.</summary>
internal sealed class HarnessOptions
{
    public double? Minutes { get; private set; }
    public long? Modules { get; private set; }
    public ulong Seed { get; private set; } = (ulong)DateTime.UtcNow.Ticks;
    public long Start { get; private set; }
    public string? CorpusFolder { get; private set; }
    public string? SuiteFolder { get; private set; }
    public bool UseSuite { get; private set; } = true;
    public int Threads { get; private set; } = Environment.ProcessorCount;
    public string CrashFolder { get; private set; } = "crashes";
    public long? Replay { get; private set; }
    public bool Supervised { get; private set; } = true;
    /// <summary>Set on the child process a supervisor starts: where to record in-flight modules.</summary>
    public string? InFlightFile { get; private set; }

    public const string Usage = """
        usage: IronWasm.Fuzz [--minutes M | --modules N] [options]
          --minutes M      run for M minutes (default: 1 unless --modules is given)
          --modules N      run N modules
          --seed S         run seed (default: from the clock; printed at start)
          --start I        index of the first module (default 0)
          --corpus DIR     also use the .wasm/.wat files under DIR as seeds
          --suite DIR      the spec suite folder (default: shared/wasm-testsuite found upward)
          --no-suite       use the built-in seeds only
          --threads T      worker threads (default: processor count)
          --crashes DIR    where failing modules are saved (default ./crashes)
          --replay I       rebuild module I of --seed, show its mutations, run it once, save it
          --no-supervisor  run in this process only (a host crash then leaves no reproducer)
        """;

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--minutes": options.Minutes = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--modules": options.Modules = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--seed": options.Seed = ulong.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--start": options.Start = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--corpus": options.CorpusFolder = Value(); break;
                case "--suite": options.SuiteFolder = Value(); break;
                case "--no-suite": options.UseSuite = false; break;
                case "--threads": options.Threads = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--crashes": options.CrashFolder = Value(); break;
                case "--replay": options.Replay = long.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--no-supervisor": options.Supervised = false; break;
                case "--in-flight-file": options.InFlightFile = Value(); options.Supervised = false; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (options.Minutes is null && options.Modules is null) options.Minutes = 1;
        if (options.Threads < 1) throw new ArgumentException("--threads must be at least 1");
        return options;
    }

    /// <summary>The arguments that make another process run exactly this campaign.</summary>
    public List<string> CampaignArguments()
    {
        var args = new List<string> { "--seed", Seed.ToString(CultureInfo.InvariantCulture), "--start", Start.ToString(CultureInfo.InvariantCulture),
            "--threads", Threads.ToString(CultureInfo.InvariantCulture), "--crashes", CrashFolder };
        if (Minutes is { } m) args.AddRange(["--minutes", m.ToString(CultureInfo.InvariantCulture)]);
        if (Modules is { } n) args.AddRange(["--modules", n.ToString(CultureInfo.InvariantCulture)]);
        if (CorpusFolder is { } c) args.AddRange(["--corpus", c]);
        if (SuiteFolder is { } s) args.AddRange(["--suite", s]);
        if (!UseSuite) args.Add("--no-suite");
        return args;
    }

    /// <summary>The options that rebuild the same corpus, for a replay command line.</summary>
    public string CorpusArguments() =>
        (CorpusFolder is { } c ? $" --corpus {c}" : "") + (SuiteFolder is { } s ? $" --suite {s}" : "") + (UseSuite ? "" : " --no-suite");
}
