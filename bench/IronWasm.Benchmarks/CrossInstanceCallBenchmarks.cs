using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using IronWasm.Benchmarks.Columns;
using IronWasm.Components.Linking;
using IronWasm.Components.Wit;

namespace IronWasm.Benchmarks;

/// <summary>An app calling a driver in another instance through <see cref="ComponentHost"/>:
/// <c>transfer: func(data: list&lt;u8&gt;) -&gt; result&lt;list&lt;u8&gt;, error-code&gt;</c> with 32
/// bytes in and 32 bytes back, per call. The baseline does the same two modules' work in one
/// instance (the app calls a local copy of the driver's function), so the Overhead column is what
/// the cross-instance hop costs: two host transitions, both cabi_realloc calls, the copies between
/// the memories with their checks, and the driver's post-return. <c>CoreHop</c> is a hand-written
/// host function doing the hop's unavoidable part (the calls into the driver, both allocations,
/// the copies and the post-return, without the canonical ABI's checks), the floor for any link.
/// <c>LinkedComponentValues</c> is the link with values lifted to ComponentValues and lowered again.</summary>
[Config(typeof(OverheadConfig))]
public class CrossInstanceCallBenchmarks
{
    private sealed class OverheadConfig : ManualConfig
    {
        public OverheadConfig() => AddColumn(new OverheadColumn());
    }

    /// <summary>Calls per operation; each benchmark's time is per call.</summary>
    public const int Calls = 1000;

    private const int Bytes = 32;

    private const string Wit = """
        package bench:link@0.1.0;

        interface transfer {
            /// The shape of wasi:i2c's error-code.
            variant error-code { bus, arbitration-loss, no-acknowledge(u8), overrun, other }
            transfer: func(data: list<u8>) -> result<list<u8>, error-code>;
        }

        world driver { export transfer; }

        world app {
            import transfer;
            export run: func(n: u32) -> u32;
        }
        """;

    private const string Interface = "bench:link/transfer@0.1.0";

    /// <summary>The driver's answer: its 32-byte argument with every byte incremented, in a result
    /// at 16 (ok, pointer, length); a length other than 32 is an overrun error. Addresses are
    /// parameters so the baseline can place it beside the app's data in one memory.</summary>
    private static string TransferBody(int answer, int area) => $$"""
        (param $ptr i32) (param $len i32) (result i32) (local $i i32)
          (if (i32.ne (local.get $len) (i32.const {{Bytes}}))
            (then
              (i32.store8 (i32.const {{area}}) (i32.const 1))
              (i32.store8 (i32.const {{area + 4}}) (i32.const 3))
              (return (i32.const {{area}}))))
          (block $done (loop $next
            (br_if $done (i32.ge_u (local.get $i) (i32.const {{Bytes}})))
            (i32.store8 offset={{answer}} (local.get $i)
              (i32.add (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
          (i32.store8 (i32.const {{area}}) (i32.const 0))
          (i32.store (i32.const {{area + 4}}) (i32.const {{answer}}))
          (i32.store (i32.const {{area + 8}}) (i32.const {{Bytes}}))
          (i32.const {{area}})
        """;

    /// <summary>A bump allocator from 8192; its owner resets it once the allocations are consumed.</summary>
    private const string Allocator = """
        (memory (export "memory") 1)
        (global $bump (mut i32) (i32.const 8192))
        (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
          (local $p i32)
          (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
                                 (i32.sub (i32.const 0) (local.get $align))))
          (global.set $bump (i32.add (local.get $p) (local.get $size)))
          (local.get $p))
        """;

    private static readonly string Driver = $$"""
        (module
          {{Allocator}}
          (func (export "{{Interface}}#transfer") {{TransferBody(answer: 512, area: 16)}})
          (func (export "cabi_post_{{Interface}}#transfer") (param i32)
            (global.set $bump (i32.const 8192))))
        """;

    /// <summary>The app: 32 bytes at 1024, the return area at 2048; each iteration frees the
    /// previous answer, calls transfer, traps on an error and adds up the answer's first byte.</summary>
    private static string App(string transfer) => $$"""
        (module
          {{transfer}}
          {{Allocator}}
          (data (i32.const 1024) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f")
          (func (export "run") (param $n i32) (result i32) (local $i i32) (local $sum i32)
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
              (global.set $bump (i32.const 8192))
              (call $transfer (i32.const 1024) (i32.const {{Bytes}}) (i32.const 2048))
              (if (i32.load8_u (i32.const 2048)) (then unreachable))
              (if (i32.ne (i32.load (i32.const 2056)) (i32.const {{Bytes}})) (then unreachable))
              (local.set $sum (i32.add (local.get $sum) (i32.load8_u (i32.load (i32.const 2052)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next)))
            (local.get $sum)))
        """;

    private static readonly string LinkedApp = App($$"""(import "{{Interface}}" "transfer" (func $transfer (param i32 i32 i32)))""");

    // The driver's function in the app's memory, answering at 3072 into a result at 2048 (where the
    // app reads it): the same instructions, no hop.
    private static readonly string LocalApp = App($$"""
        (func $transfer_local {{TransferBody(answer: 3072, area: 2080)}})
        (func $transfer (param $ptr i32) (param $len i32) (param $area i32)
          (memory.copy (local.get $area) (call $transfer_local (local.get $ptr) (local.get $len)) (i32.const 12)))
        """);

    private Engine _engine = null!;
    private Func<int, int> _local = null!, _coreHop = null!, _linked = null!, _linkedGeneric = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new Engine();
        var wit = WitPackageLoader.LoadText(Wit).Package;
        var driverModule = Module.FromText(_engine, "driver", Driver);
        var appModule = Module.FromText(_engine, "app", LinkedApp);

        // Both in one instance.
        var store = new Store(_engine);
        _local = Run(new Linker(_engine).Instantiate(store, Module.FromText(_engine, "local", LocalApp)));

        // Linked by ComponentHost: copying memory to memory (the default), and through ComponentValues.
        _linked = Run(Linked(wit, driverModule, appModule, directCopy: true));
        _linkedGeneric = Run(Linked(wit, driverModule, appModule, directCopy: false));

        // Linked by hand: the driver's core functions called from a typed host function.
        _coreHop = Run(CoreHop(store, driverModule, appModule));
    }

    private Instance Linked(WitPackage wit, Module driverModule, Module appModule, bool directCopy)
    {
        var host = new ComponentHost(_engine) { DirectCopy = directCopy };
        host.AddComponent("driver", driverModule, wit.FindWorld("driver")!);
        host.AddComponent("app", appModule, wit.FindWorld("app")!);
        host.Link("app", Interface, "driver");
        host.Instantiate();
        return host["app"].Instance!;
    }

    /// <summary>The hop without the canonical ABI's checks or values: allocate and copy the
    /// argument, call, copy the answer into an app allocation, write the return area, post-return.</summary>
    private Instance CoreHop(Store store, Module driverModule, Module appModule)
    {
        var driver = new Linker(_engine).Instantiate(store, driverModule);
        var driverMemory = driver.GetMemory("memory")!;
        var driverRealloc = driver.GetFunction<int, int, int, int, int>("cabi_realloc")!;
        var transfer = driver.GetFunction<int, int, int>($"{Interface}#transfer")!;
        var post = driver.GetAction<int>($"cabi_post_{Interface}#transfer")!;
        Memory? appMemory = null;
        Func<int, int, int, int, int>? appRealloc = null;
        var linker = new Linker(_engine);
        linker.DefineFunction(Interface, "transfer", (int ptr, int len, int area) =>
        {
            int argument = driverRealloc(0, 0, 1, len);
            appMemory!.GetSpan(ptr, len).CopyTo(driverMemory.GetSpan(argument, len));
            int result = transfer(argument, len);
            var answer = driverMemory.GetSpan(result, 12);
            int answerPtr = BitConverter.ToInt32(answer[4..]), answerLen = BitConverter.ToInt32(answer[8..]);
            int copy = appRealloc!(0, 0, 1, answerLen);
            driverMemory.GetSpan(answerPtr, answerLen).CopyTo(appMemory.GetSpan(copy, answerLen));
            var returned = appMemory.GetSpan(area, 12);
            returned[0] = answer[0];
            BitConverter.TryWriteBytes(returned[4..], copy);
            BitConverter.TryWriteBytes(returned[8..], answerLen);
            post(result);
        });
        var app = linker.Instantiate(store, appModule);
        appMemory = app.GetMemory("memory");
        appRealloc = app.GetFunction<int, int, int, int, int>("cabi_realloc");
        return app;
    }

    private static Func<int, int> Run(Instance instance)
    {
        var run = instance.GetFunction<int, int>("run") ?? throw new InvalidOperationException("run is missing");
        // The first call compiles; check the answer while at it (byte 0 comes back as 1).
        if (run(10) != 10) throw new InvalidOperationException($"the app read the wrong answer: {run(10)}");
        return run;
    }

    /// <summary>The app and the driver's function in one instance.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public int NoHop() => _local(Calls);

    /// <summary>A typed host function doing only the hop's calls and copies.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int CoreHop() => _coreHop(Calls);

    /// <summary>Through <see cref="ComponentHost"/>: the values copied from memory to memory.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int Linked() => _linked(Calls);

    /// <summary>Through <see cref="ComponentHost"/> with the values lifted to ComponentValues and lowered again.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int LinkedComponentValues() => _linkedGeneric(Calls);
}
