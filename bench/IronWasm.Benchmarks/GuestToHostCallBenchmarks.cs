using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using IronWasm.Benchmarks.Columns;

namespace IronWasm.Benchmarks;

/// <summary>Guest-to-host call overhead: a Wasm loop that calls an imported host function
/// <c>(i32) -> i32</c> returning its argument plus one, per call; the baseline is the same loop
/// doing the increment inline, so the Overhead column is the cost of the call itself. A Wasm callee
/// is measured too, for comparison.</summary>
[Config(typeof(OverheadConfig))]
public class GuestToHostCallBenchmarks
{
    private sealed class OverheadConfig : ManualConfig
    {
        public OverheadConfig() => AddColumn(new OverheadColumn());
    }

    /// <summary>Loop iterations (calls) per operation; each benchmark's time is per iteration.</summary>
    public const int Calls = 10_000;

    private const string Wat = """
        (module
          (import "env" "inc" (func $inc (param i32) (result i32)))
          (import "env" "inc_with_caller" (func $inc_with_caller (param i32) (result i32)))
          (import "env" "inc_untyped" (func $inc_untyped (param i32) (result i32)))
          (func $guest_inc (param i32) (result i32)
            local.get 0
            i32.const 1
            i32.add)
          (func (export "inline") (param $n i32) (result i32) (local $i i32) (local $acc i32)
            (block (loop
              (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br 0)))
            local.get $acc)
          (func (export "call_guest") (param $n i32) (result i32) (local $i i32) (local $acc i32)
            (block (loop
              (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $acc (call $guest_inc (local.get $acc)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br 0)))
            local.get $acc)
          (func (export "call_host") (param $n i32) (result i32) (local $i i32) (local $acc i32)
            (block (loop
              (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $acc (call $inc (local.get $acc)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br 0)))
            local.get $acc)
          (func (export "call_host_with_caller") (param $n i32) (result i32) (local $i i32) (local $acc i32)
            (block (loop
              (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $acc (call $inc_with_caller (local.get $acc)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br 0)))
            local.get $acc)
          (func (export "call_host_untyped") (param $n i32) (result i32) (local $i i32) (local $acc i32)
            (block (loop
              (br_if 1 (i32.ge_u (local.get $i) (local.get $n)))
              (local.set $acc (call $inc_untyped (local.get $acc)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br 0)))
            local.get $acc))
        """;

    private Store _store = null!;
    private Func<int, int> _inline = null!, _callGuest = null!, _callHost = null!, _callHostWithCaller = null!, _callHostUntyped = null!;

    [GlobalSetup]
    public void Setup()
    {
        var engine = new Engine();
        _store = new Store(engine);
        var linker = new Linker(engine)
            .DefineFunction<int, int>("env", "inc", x => x + 1)
            .DefineFunction<int, int>("env", "inc_with_caller", (Caller caller, int x) => x + 1)
            .DefineFunction("env", "inc_untyped", new FunctionType([ValueKind.I32], [ValueKind.I32]),
                (caller, arguments, results) => results[0] = WasmValue.FromInt32(arguments[0].AsInt32() + 1));
        var instance = linker.Instantiate(_store, Module.FromText(engine, "calls", Wat));
        _inline = Get(instance, "inline");
        _callGuest = Get(instance, "call_guest");
        _callHost = Get(instance, "call_host");
        _callHostWithCaller = Get(instance, "call_host_with_caller");
        _callHostUntyped = Get(instance, "call_host_untyped");
    }

    private static Func<int, int> Get(Instance instance, string name)
    {
        var function = instance.GetFunction<int, int>(name) ?? throw new InvalidOperationException($"{name} is missing");
        // The first call compiles; check the loop while at it.
        if (function(Calls) != Calls) throw new InvalidOperationException($"{name} computed the wrong count");
        return function;
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    /// <summary>The loop with the increment inline: no call.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public int NoCall() => _inline(Calls);

    /// <summary>Calling a Wasm function of the same instance (compiled after its caller, so reached
    /// through its FunctionInstance.Callable delegate).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int CallGuest() => _callGuest(Calls);

    /// <summary>Calling a typed host function, <c>DefineFunction&lt;int, int&gt;</c> (a Func of the
    /// engine's own shape, so guests call it directly).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int CallHostTyped() => _callHost(Calls);

    /// <summary>Calling a typed host function that takes a <see cref="Caller"/> (through an adapter).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int CallHostWithCaller() => _callHostWithCaller(Calls);

    /// <summary>Calling an untyped host function (<see cref="WasmCallback"/> with WasmValue spans).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public int CallHostUntyped() => _callHostUntyped(Calls);
}
