using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace IronWasm.Benchmarks.Columns;

/// <summary>Median minus the baseline's median, in nanoseconds: what a call costs beyond the same loop or
/// call without it (the per-call overhead the call benchmarks are after).</summary>
internal sealed class OverheadColumn : IColumn
{
    public string Id => nameof(OverheadColumn);
    public string ColumnName => "Overhead ns";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Median minus the baseline's median, in nanoseconds per operation";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        var baselineMedian = baseline is null ? null : summary[baseline]?.ResultStatistics?.Median;
        if (median is not { } m || baselineMedian is not { } b) return "-";
        return (m - b).ToString("N2", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
    public override string ToString() => ColumnName;
}
