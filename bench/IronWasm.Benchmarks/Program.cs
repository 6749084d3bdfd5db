using BenchmarkDotNet.Running;
using IronWasm.Benchmarks;

// Any BenchmarkDotNet arguments work, e.g. --filter '*Instantiation*' or --list flat.
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create());
