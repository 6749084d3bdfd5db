using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace IronWasm.Benchmarks;

/// <summary>The configuration every benchmark runs with: a short job sized for a 2-core shared machine,
/// and allocation counts.</summary>
/// <remarks>In-process, so BenchmarkDotNet does not build a second copy of the solution (which would
/// write into the shared obj/ folders other builds use) and a full run takes minutes, not tens of
/// minutes. The price is less isolation between benchmarks; each still gets its own warmup.</remarks>
internal static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(4)
            .WithIterationCount(12)
            .WithId("Short"))
        .AddDiagnoser(MemoryDiagnoser.Default)
        // The median resists the noise of a shared machine better than the mean.
        .AddColumn(StatisticColumn.Median)
        .WithOptions(ConfigOptions.DisableLogFile)
        .WithSummaryStyle(DefaultConfig.Instance.SummaryStyle.WithMaxParameterColumnWidth(40));
}
