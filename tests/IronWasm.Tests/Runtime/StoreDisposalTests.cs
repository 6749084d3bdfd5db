using IronWasm.Tests.Compilation;

namespace IronWasm.Tests.Runtime;

/// <summary>Disposing a store while its guest code is running (from a host function it called, or from
/// another thread) must never let that code touch freed memory: the running code traps or finishes on
/// memory that is still mapped, and the block is freed once no guest code of the store is running.</summary>
public class StoreDisposalTests
{
    // Checks merged before the call ($p and $p + 8 in bounds) and addresses that need no check at all
    // (a constant within the declared minimum) are both used after the host call.
    private const string Wat = """
        (module
          (import "env" "dispose" (func $dispose))
          (memory 4)
          (func (export "after_call") (param $p i32) (result i32)
            (i32.store (local.get $p) (i32.const 7))
            (i32.store offset=8 (local.get $p) (i32.const 9))
            (call $dispose)
            (i32.store offset=4 (local.get $p) (i32.const 11))
            (i32.add (i32.load (local.get $p)) (i32.load offset=8 (local.get $p))))
          (func (export "constant_after_call") (result i32)
            (i32.store (i32.const 0x20000) (i32.const 5))
            (call $dispose)
            (i32.store (i32.const 0x20000) (i32.const 6))
            (i32.load (i32.const 0x20000))))
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AHostFunctionDisposingItsStoreEndsTheCallWithoutTouchingFreedMemory(bool persisted)
    {
        var engine = new Engine();
        var module = Module.FromText(engine, "test", Wat);
        if (persisted) module = Module.Deserialize(engine, module.Serialize());
        foreach (var name in new[] { "after_call", "constant_after_call" })
        {
            var store = new Store(engine);
            var linker = new Linker(engine);
            linker.DefineFunction("env", "dispose", () => store.Dispose());
            var instance = linker.Instantiate(store, module);
            Func<int> call = name == "after_call"
                ? () => instance.GetFunction<int, int>(name)!(0x30000)
                : instance.GetFunction<int>(name)!;

            // The accesses after the host call were checked before it (or need no check), so the
            // call may finish on the retired block, which reads as zeros, or trap; either way the
            // process survives and nothing of the old contents is read.
            // (Before the disposal, after_call would return 7 + 9.)
            try { Assert.True(call() is 0 or 6); }
            catch (TrapException e) { Assert.Equal(TrapCode.MemoryOutOfBounds, e.Code); }

            // Any later call finds the memory empty.
            Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => call()));
        }
    }

    [Fact]
    public void DisposingFromAnotherThreadWhileAGuestLoopsOverMemoryNeverCrashes()
    {
        const string looping = """
            (module
              (memory 16)
              (func (export "spin") (param $n i32) (result i32)
                (local $i i32) (local $sum i32)
                (loop $again
                  (i32.store (i32.and (local.get $i) (i32.const 0xFFFC)) (local.get $i))
                  (local.set $sum (i32.add (local.get $sum) (i32.load (i32.and (i32.mul (local.get $i) (i32.const 4)) (i32.const 0xFFFFC)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $again (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $sum)))
            """;
        for (int round = 0; round < 20; round++)
        {
            var engine = new Engine();
            var store = new Store(engine);
            var instance = Wasm.Instantiate(looping, store);
            var spin = instance.GetFunction<int, int>("spin")!;
            using var started = new ManualResetEventSlim();
            var runner = new Thread(() =>
            {
                started.Set();
                try { spin(200_000_000); }
                catch (TrapException e) { Assert.Equal(TrapCode.MemoryOutOfBounds, e.Code); }
                catch (ObjectDisposedException) { }
            });
            runner.Start();
            started.Wait();
            Thread.Sleep(round % 4);
            store.Dispose();
            Assert.True(runner.Join(TimeSpan.FromSeconds(60)), "the guest kept running on a disposed store");
        }
    }
}
