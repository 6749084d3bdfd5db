using IronWasm.Fuzzing;
using Xunit.Abstractions;

namespace IronWasm.Tests.Robustness;

/// <summary>Untrusted bytes must only ever produce IronWasm's own exceptions. Mutants of the spec suite's
/// modules (or of the built-in seeds where the suite is absent) go through decode, validate, instantiate
/// and every exported function with fuel; anything else coming out is a bug of the engine.</summary>
public sealed class MutatedModuleTests(ITestOutputHelper output)
{
    private const ulong Seed = 20_240_601;
    private const int ModuleCount = 100_000;

    // Loading and validating the seeds takes a second or two; every test here shares them.
    private static readonly Lazy<SeedCorpus> Corpus = new(() => SeedCorpus.Load());

    [Fact]
    public void HundredThousandMutatedModulesRaiseOnlyIronWasmExceptions()
    {
        var corpus = Corpus.Value;
        var report = new FuzzCampaign(new ModuleMutator(corpus), new CampaignSettings
        {
            Seed = Seed,
            ModuleCount = ModuleCount,
            Threads = Math.Max(2, Environment.ProcessorCount),
            StopOnFailure = false,
        }).Run();

        output.WriteLine(corpus.ToString());
        output.WriteLine($"{report.Stats.Modules:N0} modules in {report.Elapsed.TotalSeconds:F1} s: {report.Stats.DescribeOutcomes()}");
        output.WriteLine($"{report.Stats.Calls:N0} calls; traps: {report.Stats.DescribeTraps()}");
        foreach (var failure in report.Failures.Take(20)) output.WriteLine($"FAILURE {failure}");

        Assert.False(report.Hung, "a module hung: " + string.Join("; ", report.Failures));
        Assert.Empty(report.Failures);
        Assert.Equal(ModuleCount, report.Stats.Modules);
    }

    [Fact]
    public void MutantsReachValidationInstantiationAndExecution()
    {
        // Guards the test above against passing vacuously: if the mutator only ever produced garbage,
        // nothing past the decoder would be exercised.
        var report = new FuzzCampaign(new ModuleMutator(SeedCorpus.Load(useSuite: false)), new CampaignSettings
        {
            Seed = Seed,
            ModuleCount = 2_000,
            Threads = 2,
        }).Run();

        var stats = report.Stats;
        output.WriteLine(stats.DescribeOutcomes());
        Assert.Empty(report.Failures);
        Assert.True(stats[FuzzOutcome.Malformed] > 100, "few malformed mutants");
        Assert.True(stats[FuzzOutcome.Invalid] > 100, "few invalid mutants");
        Assert.True(stats[FuzzOutcome.Trapped] > 50, "few mutants trapped");
        Assert.True(stats[FuzzOutcome.Ran] > 100, "few mutants ran");
        Assert.True(stats.Calls > stats[FuzzOutcome.Ran], "exported functions were not called");
    }

    [Fact]
    public void MutantIsDeterminedBySeedAndIndex()
    {
        var mutator = new ModuleMutator(SeedCorpus.Load(useSuite: false));
        var first = Enumerable.Range(0, 200).Select(i => mutator.Create(Seed, i)).ToArray();
        var again = Enumerable.Range(0, 200).Select(i => mutator.Create(Seed, i)).ToArray();
        var otherSeed = Enumerable.Range(0, 200).Select(i => mutator.Create(Seed + 1, i)).ToArray();

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.True(first.Distinct(new BytesComparer()).Count() > 150, "mutants repeat too often");
    }

    [Fact]
    public void TracingAMutantDoesNotChangeIt()
    {
        var mutator = new ModuleMutator(SeedCorpus.Load(useSuite: false));
        for (long i = 0; i < 500; i++)
        {
            var trace = new List<string>();
            Assert.Equal(mutator.Create(Seed, i), mutator.Create(Seed, i, trace));
            Assert.NotEmpty(trace);
        }
    }

    [Fact]
    public void SectionLayoutFramesEverySeedAndRejectsATruncatedOne()
    {
        foreach (var seed in BuiltInSeeds.Binaries())
        {
            var sections = SectionLayout.TryParse(seed);
            Assert.NotNull(sections);
            Assert.Equal(seed.Length, sections![^1].End);
            Assert.Null(SectionLayout.TryParse(seed.AsSpan(0, seed.Length - 1)));
        }
    }

    [Fact]
    public void EveryBuiltInSeedIsAValidModuleThatRuns()
    {
        var pipeline = new ModulePipeline();
        foreach (var seed in BuiltInSeeds.Binaries())
        {
            var stats = new FuzzStats();
            FuzzOutcome outcome = default;
            Exception? unexpected = null;
            RunOnLargeStack(() => outcome = pipeline.Run(seed, stats, out _, out unexpected));
            Assert.Null(unexpected);
            Assert.True(outcome is FuzzOutcome.Ran or FuzzOutcome.Trapped, $"seed outcome {outcome}");
            Assert.True(stats.Calls > 0);
        }
    }

    private static void RunOnLargeStack(Action action)
    {
        var thread = new Thread(() => action(), 64 * 1024 * 1024);
        thread.Start();
        thread.Join();
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] bytes)
        {
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
