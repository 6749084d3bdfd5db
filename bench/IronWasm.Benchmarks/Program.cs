using BenchmarkDotNet.Running;
using IronWasm.Benchmarks;

// `usb`: the USB evaluation (Usb/UsbBench.cs), a plain program rather than BenchmarkDotNet: it
// alternates Wasm guests and C# on one simulated bus and reports medians as the paper does.
if (args is ["usb", .. var usbArgs]) return IronWasm.Benchmarks.Usb.UsbBench.Run(usbArgs);

// `first-load`: loading plus instantiation of never-loaded compiled modules, one process per case
// (FirstLoadBench.cs).
if (args is ["first-load", .. var firstLoadArgs]) return IronWasm.Benchmarks.FirstLoadBench.Run(firstLoadArgs);

// `first-reading`: a never-loaded compiled driver to its first reading, IL or native code
// (Hardware/FirstReadingBench.cs).
if (args is ["first-reading", .. var firstReadingArgs]) return IronWasm.Benchmarks.Hardware.FirstReadingBench.Run(firstReadingArgs);

// Any BenchmarkDotNet arguments work, e.g. --filter '*Instantiation*' or --list flat.
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create());
return 0;
