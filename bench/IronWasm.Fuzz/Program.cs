using System.Globalization;
using IronWasm.Fuzz;
using IronWasm.Fuzzing;

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(HarnessOptions.Usage);
    return 64;
}

if (options.Supervised && options.Replay is null) return Supervisor.Run(options);

var corpus = SeedCorpus.Load(options.UseSuite, options.SuiteFolder, options.CorpusFolder);
var mutator = new ModuleMutator(corpus);
Console.WriteLine($"IronWasm fuzz: seed {options.Seed}, {corpus}, {options.Threads} threads, .NET {Environment.Version}, {Environment.ProcessorCount} processors");

if (options.Replay is { } replay) return Replay(replay);

var inFlight = options.InFlightFile is { } path ? Supervisor.OpenInFlightRecord(path, options.Threads) : null;
var limits = new PipelineLimits();
Console.WriteLine($"limits: fuel {limits.FuelPerCall} per call, memory {limits.MemoryBytes} bytes, {limits.TableElements} table elements, " +
                  $"first {limits.MaxCalls} exported functions called; " +
                  (options.Minutes is { } m ? $"running {m} minutes" : $"running {options.Modules} modules"));
var campaign = new FuzzCampaign(mutator, new CampaignSettings
{
    Seed = options.Seed,
    FirstIndex = options.Start,
    ModuleCount = options.Modules ?? long.MaxValue,
    Duration = options.Minutes is { } minutes ? TimeSpan.FromMinutes(minutes) : Timeout.InfiniteTimeSpan,
    Threads = options.Threads,
    Limits = limits,
    StopOnFailure = true,
    ModuleStarting = inFlight,
    Progress = p => Console.WriteLine(
        $"[{p.Elapsed:hh\\:mm\\:ss}] {p.Stats.Modules:N0} modules: {p.Stats.DescribeOutcomes()}; {p.ModulesPerSecond:N0} modules/s; {p.Stats.Calls:N0} calls; " +
        $"{GC.GetTotalMemory(false) / (1024 * 1024)} MiB managed, {Environment.WorkingSet / (1024 * 1024)} MiB working set"),
});
var report = campaign.Run();

foreach (var failure in report.Failures)
{
    var saved = CrashRecorder.Save(options.CrashFolder, mutator, options, failure.Seed, failure.Index, failure.Module, $"{failure.Stage}: {failure.Exception}");
    Console.WriteLine($"FAILURE: {failure}");
    Console.WriteLine($"  saved {saved}");
}
var stats = report.Stats;
Console.WriteLine();
Console.WriteLine("summary");
Console.WriteLine($"  seed         {options.Seed} (first module {options.Start})");
Console.WriteLine($"  corpus       {corpus}");
Console.WriteLine($"  elapsed      {report.Elapsed:hh\\:mm\\:ss} ({report.Elapsed.TotalMinutes.ToString("F1", CultureInfo.InvariantCulture)} minutes)");
Console.WriteLine($"  modules      {stats.Modules:N0} ({stats.Modules / Math.Max(1, report.Elapsed.TotalSeconds):N0} per second)");
Console.WriteLine($"  outcomes     {stats.DescribeOutcomes()}");
Console.WriteLine($"  calls        {stats.Calls:N0}");
Console.WriteLine($"  traps        {stats.DescribeTraps()}");
Console.WriteLine($"  failures     {report.Failures.Count}{(report.Hung ? " (a module hung)" : "")}");
Console.Out.Flush();
// A hung worker cannot be stopped; exit without waiting for it.
Environment.Exit(report.Failures.Count == 0 ? 0 : 1);
return 0;

int Replay(long index)
{
    var trace = new List<string>();
    var module = mutator.Create(options.Seed, index, trace);
    Console.WriteLine($"module {index}: {module.Length} bytes");
    foreach (var step in trace) Console.WriteLine($"  {step}");
    FuzzOutcome outcome = default;
    string? stage = null;
    Exception? exception = null;
    var stats = new FuzzStats();
    var thread = new Thread(() => outcome = new ModulePipeline().Run(module, stats, out stage, out exception), 64 * 1024 * 1024);
    thread.Start();
    thread.Join();
    Console.WriteLine($"outcome: {outcome}{(stats.DescribeTraps() is { Length: > 0 } traps ? $" ({traps})" : "")}");
    var what = exception is null ? outcome.ToString() : $"{stage}: {exception}";
    if (exception is not null) Console.WriteLine(what);
    Console.WriteLine($"saved {CrashRecorder.Save(options.CrashFolder, mutator, options, options.Seed, index, module, what)}");
    return outcome == FuzzOutcome.Unexpected ? 1 : 0;
}
