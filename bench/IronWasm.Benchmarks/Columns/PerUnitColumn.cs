using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace IronWasm.Benchmarks.Columns;

/// <summary>A column derived from a benchmark's median time and an amount of work per operation that
/// the benchmark knows (bytes decoded, bytes of code compiled): throughput or time per unit.</summary>
internal sealed class PerUnitColumn(string name, string legend, Func<BenchmarkCase, double?> unitsPerOperation, Func<double, double, double> fromMedianNanosecondsAndUnits, string format) : IColumn
{
    /// <summary>Megabytes (10^6 bytes) per second, from the bytes one operation processes.</summary>
    public static PerUnitColumn MegabytesPerSecond(Func<BenchmarkCase, double?> bytesPerOperation) =>
        new("MB/s", "Megabytes (10^6 bytes) of module processed per second, from the median", bytesPerOperation,
            (medianNs, bytes) => bytes / (medianNs / 1e9) / 1e6, "N1");

    /// <summary>Microseconds per kilobyte (1024 bytes), from the bytes one operation processes.</summary>
    public static PerUnitColumn MicrosecondsPerKilobyte(Func<BenchmarkCase, double?> bytesPerOperation) =>
        new("us/KB", "Microseconds per kilobyte (1024 bytes) of function body code, from the median", bytesPerOperation,
            (medianNs, bytes) => medianNs / 1e3 / (bytes / 1024.0), "N1");

    public string Id => $"{nameof(PerUnitColumn)}.{name}";
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        var units = unitsPerOperation(benchmarkCase);
        if (median is not { } ns || units is not { } u || u <= 0) return "-";
        return fromMedianNanosecondsAndUnits(ns, u).ToString(format, System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
    public override string ToString() => ColumnName;
}
