using System.Text;

namespace IronWasm.Wasi.Tests;

/// <summary>args, environ, clocks, random, proc_* and sched_yield.</summary>
public class ProcessTests
{
    private static List<string> ReadStrings(WasiGuest guest, string sizes, string get)
    {
        Assert.Equal(Errno.Success, guest.Call(sizes, 0, 4));
        int count = guest.ReadI32(0), size = guest.ReadI32(4);
        Assert.Equal(Errno.Success, guest.Call(get, 1024, 4096));
        var result = new List<string>();
        for (int i = 0; i < count; i++) result.Add(guest.Memory.ReadNullTerminatedString(guest.ReadI32(1024 + 4 * i)));
        Assert.Equal(size, result.Sum(s => Encoding.UTF8.GetByteCount(s) + 1));
        return result;
    }

    [Fact]
    public void ArgumentsAreExactlyTheConfiguredOnes()
    {
        using var guest = new WasiGuest(c => c.WithArgs("prog.wasm", "ünï", "", "two words"));
        Assert.Equal(["prog.wasm", "ünï", "", "two words"], ReadStrings(guest, "args_sizes_get", "args_get"));
    }

    [Fact]
    public void NoArgumentsOrEnvironmentUnlessGiven()
    {
        using var guest = new WasiGuest();
        Assert.Empty(ReadStrings(guest, "args_sizes_get", "args_get"));
        Assert.Empty(ReadStrings(guest, "environ_sizes_get", "environ_get"));
    }

    [Fact]
    public void EnvironmentIsKeyEqualsValueAndLaterValuesReplace()
    {
        using var guest = new WasiGuest(c => c.WithEnvironmentVariable("A", "1").WithEnvironmentVariable("B", "x=y").WithEnvironmentVariable("A", "2"));
        Assert.Equal(["B=x=y", "A=2"], ReadStrings(guest, "environ_sizes_get", "environ_get"));
    }

    [Fact]
    public void EnvironmentNamesWithEqualsOrNulAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new WasiConfiguration().WithEnvironmentVariable("A=B", "1"));
        Assert.Throws<ArgumentException>(() => new WasiConfiguration().WithEnvironmentVariable("A", "\0"));
        Assert.Throws<ArgumentException>(() => new WasiConfiguration().WithArgs("a\0b"));
    }

    [Fact]
    public void MonotonicClockNeverGoesBack()
    {
        using var guest = new WasiGuest();
        long previous = 0;
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(Errno.Success, guest.Call("clock_time_get", 1, 0L, 0));
            long now = guest.ReadI64(0);
            Assert.True(now >= previous);
            previous = now;
        }
    }

    [Fact]
    public void RealtimeClockIsNanosecondsSinceTheEpoch()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Success, guest.Call("clock_time_get", 0, 0L, 0));
        long ns = guest.ReadI64(0);
        var time = DateTimeOffset.FromUnixTimeMilliseconds(ns / 1_000_000);
        Assert.True(Math.Abs((time - DateTimeOffset.UtcNow).TotalSeconds) < 5);
    }

    [Fact]
    public void CpuTimeClocksAdvanceWithWork()
    {
        using var guest = new WasiGuest();
        foreach (int clock in new[] { 2, 3 })
        {
            Assert.Equal(Errno.Success, guest.Call("clock_time_get", clock, 0L, 0));
            long before = guest.ReadI64(0);
            var end = DateTime.UtcNow.AddMilliseconds(30);
            while (DateTime.UtcNow < end) { }
            Assert.Equal(Errno.Success, guest.Call("clock_time_get", clock, 0L, 0));
            Assert.True(guest.ReadI64(0) > before);
        }
    }

    [Fact]
    public void ClockResolutionIsPositive()
    {
        using var guest = new WasiGuest();
        for (int clock = 0; clock < 4; clock++)
        {
            Assert.Equal(Errno.Success, guest.Call("clock_res_get", clock, 0));
            Assert.True(guest.ReadI64(0) > 0);
        }
    }

    [Fact]
    public void UnknownClockIsInval()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Inval, guest.Call("clock_time_get", 4, 0L, 0));
        Assert.Equal(Errno.Inval, guest.Call("clock_res_get", -1, 0));
    }

    [Fact]
    public void RandomFillsTheBuffer()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Success, guest.Call("random_get", 1024, 4096));
        var bytes = guest.Memory.GetSpan(1024, 4096).ToArray();
        Assert.True(bytes.Distinct().Count() > 200);
        Assert.Equal(Errno.Success, guest.Call("random_get", 1024, 4096));
        Assert.NotEqual(bytes, guest.Memory.GetSpan(1024, 4096).ToArray());
        Assert.Equal(Errno.Success, guest.Call("random_get", 0, 0));
    }

    [Fact]
    public void ProcExitThrowsExitExceptionWithTheCode()
    {
        using var guest = new WasiGuest();
        var exit = Assert.Throws<ExitException>(() => guest.Call("proc_exit", 7));
        Assert.Equal(7, exit.ExitCode);
    }

    [Fact]
    public void ProcRaiseIsNotSupported()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Nosys, guest.Call("proc_raise", 15));
        Assert.Equal(Errno.Inval, guest.Call("proc_raise", 99));
    }

    [Fact]
    public void SchedYieldSucceeds()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Success, guest.Call("sched_yield"));
    }

    [Fact]
    public void SocketCallsOnNonSocketsAreNotsockAndOnClosedDescriptorsBadf()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Notsock, guest.Call("sock_accept", 1, 0, 0));
        Assert.Equal(Errno.Notsock, guest.Call("sock_recv", 0, 0, 0, 0, 0, 0));
        Assert.Equal(Errno.Notsock, guest.Call("sock_send", 1, 0, 0, 0, 0));
        Assert.Equal(Errno.Notsock, guest.Call("sock_shutdown", 1, 3));
        Assert.Equal(Errno.Badf, guest.Call("sock_accept", 9, 0, 0));
        Assert.Equal(Errno.Badf, guest.Call("sock_recv", 9, 0, 0, 0, 0, 0));
        Assert.Equal(Errno.Badf, guest.Call("sock_send", 9, 0, 0, 0, 0));
        Assert.Equal(Errno.Badf, guest.Call("sock_shutdown", 9, 3));
    }

    [Fact]
    public void RunReturnsZeroWhenStartReturnsAndRunsReactors()
    {
        using var engine = new Engine();
        using var context = new WasiContext(new WasiConfiguration());
        using var store = new Store(engine);
        var linker = new Linker(engine).DefineWasi(context);
        Assert.Equal(0, WasiCommand.Run(linker, store, Module.FromText(engine, "m", "(module (func (export \"_start\")))")));
        using var store2 = new Store(engine);
        Assert.Equal(0, WasiCommand.Run(linker, store2, Module.FromText(engine, "m", "(module (global (export \"g\") (mut i32) (i32.const 0)) (func (export \"_initialize\") (global.set 0 (i32.const 1))))")));
    }

    [Fact]
    public void RunPropagatesTraps()
    {
        using var engine = new Engine();
        using var context = new WasiContext(new WasiConfiguration());
        using var store = new Store(engine);
        var linker = new Linker(engine).DefineWasi(context);
        var trap = Assert.Throws<TrapException>(() => WasiCommand.Run(linker, store, Module.FromText(engine, "m", "(module (func (export \"_start\") unreachable))")));
        Assert.Equal(TrapCode.Unreachable, trap.Code);
    }

    [Fact]
    public void ExitFromTheStartSectionIsAnExitCode()
    {
        using var engine = new Engine();
        using var context = new WasiContext(new WasiConfiguration());
        using var store = new Store(engine);
        var linker = new Linker(engine).DefineWasi(context);
        var module = Module.FromText(engine, "m", """
            (module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (func $s (call $exit (i32.const 3))) (start $s))
            """);
        Assert.Equal(3, WasiCommand.Run(linker, store, module));
    }
}
