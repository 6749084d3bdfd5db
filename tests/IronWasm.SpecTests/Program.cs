// Runs the WebAssembly spec test suite: every .wast file at the top level of
// ../shared/wasm-testsuite (or the folder given by IRONWASM_TESTSUITE), counting each command
// that checks something, and prints per-file and total "N passed, N failed" lines.
//
// Usage: IronWasm.SpecTests [--verbose] [--suite DIR] [NAME-FILTER...]
// Exit code: 0 when every check passed, 1 otherwise.
using System.Diagnostics;
using IronWasm.SpecTests;

var verbose = false;
string? suiteDir = Environment.GetEnvironmentVariable("IRONWASM_TESTSUITE");
var filters = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--verbose" or "-v": verbose = true; break;
        case "--suite": suiteDir = args[++i]; break;
        default: filters.Add(args[i]); break;
    }
}

suiteDir ??= SuiteLocator.Find();
if (suiteDir is null || !Directory.Exists(suiteDir))
{
    Console.WriteLine("spec suite skipped: ../shared/wasm-testsuite was not found beside the project (set IRONWASM_TESTSUITE to point at it)");
    Console.WriteLine("spec total: 0 passed, 0 failed");
    return 0;
}

var files = Directory.GetFiles(suiteDir, "*.wast", SearchOption.TopDirectoryOnly)
    .Where(f => filters.Count == 0 || filters.Any(flt => Path.GetFileName(f).Contains(flt, StringComparison.Ordinal)))
    .OrderBy(f => f, StringComparer.Ordinal)
    .ToList();

long totalPassed = 0, totalFailed = 0, totalAssertions = 0;
var clock = Stopwatch.StartNew();
foreach (var file in files)
{
    var result = SpecFileRunner.RunOnLargeStack(file);
    totalPassed += result.Passed;
    totalFailed += result.Failed;
    totalAssertions += result.Assertions;
    Console.WriteLine($"{Path.GetFileName(file)}: {result.Passed} passed, {result.Failed} failed");
    foreach (var failure in result.Failures.Take(verbose ? int.MaxValue : 20))
        Console.WriteLine($"  FAIL {failure}");
    if (!verbose && result.Failures.Count > 20) Console.WriteLine($"  ... {result.Failures.Count - 20} more (run with --verbose)");
}

Console.WriteLine($"spec files: {files.Count}, assertions (assert_* commands): {totalAssertions}, time: {clock.Elapsed.TotalSeconds:F1} s");
Console.WriteLine($"spec total: {totalPassed} passed, {totalFailed} failed");
return totalFailed == 0 ? 0 : 1;
