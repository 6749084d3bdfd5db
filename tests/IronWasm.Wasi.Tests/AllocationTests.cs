namespace IronWasm.Wasi.Tests;

public class AllocationTests
{
    [Fact]
    public void WritingToAStreamAllocatesNothing()
    {
        using var engine = new Engine();
        using var context = new WasiContext(new WasiConfiguration().WithStandardOutput(Stream.Null));
        using var store = new Store(engine);
        var linker = new Linker(engine).DefineWasi(context);
        var instance = linker.Instantiate(store, Module.FromText(engine, "m", """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "run") (param $n i32) (result i32)
                (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 10))
                (loop $again
                  (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                  (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (i32.load (i32.const 8))))
            """));
        var run = instance.GetFunction<int, int>("run")!;
        Assert.Equal(10, run(10)); // warm up: compile and cache
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(10, run(10_000));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"{allocated} bytes allocated for 10000 fd_write calls");
    }

    [Fact]
    public void PollingAClockAllocatesNothing()
    {
        using var guest = new WasiGuest();
        guest.Memory.GetSpan(1024, 48).Clear();
        guest.Memory.WriteInt32(1024 + 16, 1); // monotonic, relative timeout 0: fires at once
        var poll = guest.Instance.GetFunction<int, int, int, int, int>("poll_oneoff")!;
        Assert.Equal(0, poll(1024, 2048, 1, 0));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) poll(1024, 2048, 1, 0);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024, $"{allocated} bytes allocated for 1000 poll_oneoff calls");
        Assert.Equal(1, guest.ReadI32(0));
    }
}
