namespace IronWasm.Tests.Compilation;

/// <summary>A function without calls (a leaf) skips the call-depth bookkeeping: it cannot recurse,
/// so the depth its callers counted bounds the stack. The depth must stay balanced through leaves
/// that return and leaves that trap, recursion must still stop at the limit, and a leaf must compute
/// and trap like any other function, in lazily compiled and in persisted code.</summary>
public class LeafFunctionTests
{
    private const string Wat = """
        (module (memory (export "m") 1)
          ;; A leaf: copies n bytes from s to d, byte by byte, and returns d.
          (func $copy (export "copy") (param $d i32) (param $s i32) (param $n i32) (result i32)
            (local $i i32)
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                (i32.store8 (i32.add (local.get $d) (local.get $i))
                            (i32.load8_u (i32.add (local.get $s) (local.get $i))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (local.get $d))
          ;; A leaf that may trap at its first instruction.
          (func $peek (export "peek") (param $p i32) (result i32) (i32.load (local.get $p)))
          ;; Calls the leaf `times` times (copying one byte forward each time), then returns the
          ;; sum of the leaf's results, so a miscounted depth accumulates.
          (func $many (export "many") (param $times i32) (result i32)
            (local $sum i32)
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $times)))
                (local.set $sum (i32.add (local.get $sum)
                  (call $copy (i32.add (i32.const 1000) (local.get $times)) (local.get $times) (i32.const 1))))
                (local.set $times (i32.sub (local.get $times) (i32.const 1)))
                (br $next)))
            (local.get $sum))
          ;; Recurses n frames deep, then calls the leaf at the bottom.
          (func $deep (export "deep") (param $n i32) (param $p i32) (result i32)
            (if (result i32) (i32.eqz (local.get $n))
              (then (call $peek (local.get $p)))
              (else (call $deep (i32.sub (local.get $n) (i32.const 1)) (local.get $p))))))
        """;

    private static IEnumerable<Instance> Instances(Store store)
    {
        var fresh = IronWasm.Module.FromText(store.Engine, "test", Wat);
        foreach (var module in new[] { fresh, IronWasm.Module.Deserialize(store.Engine, fresh.Serialize()) })
            yield return new Linker(store.Engine).Instantiate(store, module);
    }

    [Fact]
    public void LeafCallsLeaveTheCallDepthBalanced()
    {
        var engine = new Engine(new Config().WithMaxCallDepth(50));
        using var store = new Store(engine);
        foreach (var instance in Instances(store))
        {
            // 1,000 leaf calls from one frame: returns the sum of the destinations 1001..2000.
            Assert.Equal(Enumerable.Range(1001, 1000).Sum(), instance.GetFunction<int, int>("many")!(1000));
            Assert.Equal(0, store.Execution.CallDepth);
            var memory = instance.GetMemory("m")!.GetSpan();
            for (int k = 1; k <= 1000; k++) Assert.Equal(memory[k], memory[1000 + k]);
            // The limit still counts exactly the non-leaf frames: 50 frames are allowed, 51 are not.
            var deep = instance.GetFunction<int, int, int>("deep")!;
            Assert.Equal(0, deep(49, 0));
            Assert.Equal(TrapCode.StackOverflow, Wasm.Traps(() => deep(50, 0)));
            Assert.Equal(0, store.Execution.CallDepth);
        }
    }

    [Fact]
    public void ATrapInALeafRestoresTheCallersDepth()
    {
        var engine = new Engine(new Config().WithMaxCallDepth(50));
        using var store = new Store(engine);
        foreach (var instance in Instances(store))
        {
            var deep = instance.GetFunction<int, int, int>("deep")!;
            for (int round = 0; round < 100; round++)
                Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => deep(40, 65533)));
            Assert.Equal(0, store.Execution.CallDepth);
            // Had the traps leaked depth, this would now overflow; had leaves decremented it
            // without counting, the limit would no longer hold.
            instance.GetMemory("m")!.GetSpan()[65532] = 7;
            Assert.Equal(7, deep(49, 65532));
            Assert.Equal(TrapCode.StackOverflow, Wasm.Traps(() => deep(50, 65532)));
            Assert.Equal(0, store.Execution.CallDepth);
        }
    }

    [Theory]
    [InlineData(100, 0, 16)]          // ordinary copy
    [InlineData(65536 - 16, 0, 16)]   // ends exactly at the end of memory
    [InlineData(65536 - 16, 0, 17)]   // the last byte is one past the end
    [InlineData(0, 65536 - 1, 2)]     // the source runs off at the second byte
    [InlineData(-2, 0, 1)]            // a "negative" destination
    public void ALeafComputesAndTrapsLikeAnyFunction(int destination, int source, int count)
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var results = new List<string>();
        foreach (var instance in Instances(store))
        {
            var memory = instance.GetMemory("m")!;
            for (int k = 0; k < 32; k++) memory.GetSpan()[k] = (byte)(k + 1);
            string outcome;
            try { outcome = instance.GetFunction<int, int, int, int>("copy")!(destination, source, count).ToString(); }
            catch (TrapException trap) { outcome = trap.Code.ToString(); }
            Assert.Equal(0, store.Execution.CallDepth);
            // The stores before a trapping access happened, the rest did not.
            int copied = 0;
            var span = memory.GetSpan();
            for (int k = 0; k < count && (uint)(destination + k) < 65536u; k++)
                if (span[destination + k] == (byte)(source + k + 1)) copied++;
            results.Add($"{outcome} {copied}");
        }
        Assert.Equal(results[0], results[1]);
        long inBounds = Math.Min(Math.Clamp(65536L - (uint)destination, 0, count), Math.Clamp(65536L - (uint)source, 0, count));
        bool traps = inBounds < count;
        Assert.Equal($"{(traps ? "MemoryOutOfBounds" : destination.ToString())} {inBounds}", results[0]);
    }
}
