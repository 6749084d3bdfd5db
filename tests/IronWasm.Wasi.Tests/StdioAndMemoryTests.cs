using System.Text;

namespace IronWasm.Wasi.Tests;

public class StdioAndMemoryTests
{
    private static Errno WriteText(WasiGuest guest, int fd, string text)
    {
        int length = guest.Put(WasiGuest.Buffer, text);
        guest.Memory.WriteInt32(100, WasiGuest.Buffer);
        guest.Memory.WriteInt32(104, length);
        return guest.Call("fd_write", fd, 100, 1, 200);
    }

    [Fact]
    public void StandardErrorIsCapturedSeparately()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Success, WriteText(guest, 2, "oops"));
        Assert.Equal(Errno.Success, WriteText(guest, 1, "fine"));
        Assert.Equal("oops", Encoding.UTF8.GetString(guest.Stderr.ToArray()));
        Assert.Equal("fine", guest.StdoutText);
    }

    [Fact]
    public void GatherWriteConcatenatesBuffers()
    {
        using var guest = new WasiGuest();
        guest.Put(1000, "ab");
        guest.Put(2000, "cde");
        guest.Memory.WriteInt32(100, 1000);
        guest.Memory.WriteInt32(104, 2);
        guest.Memory.WriteInt32(108, 2000);
        guest.Memory.WriteInt32(112, 3);
        Assert.Equal(Errno.Success, guest.Call("fd_write", 1, 100, 2, 200));
        Assert.Equal(5, guest.ReadI32(200));
        Assert.Equal("abcde", guest.StdoutText);
    }

    [Fact]
    public void StandardInputIsReadFromTheGivenStreamUntilEnd()
    {
        using var guest = new WasiGuest(c => c.WithStandardInput(new MemoryStream("line one\nline two\n"u8.ToArray())));
        guest.Memory.WriteInt32(100, WasiGuest.Buffer);
        guest.Memory.WriteInt32(104, 9);
        Assert.Equal(Errno.Success, guest.Call("fd_read", 0, 100, 1, 200));
        Assert.Equal("line one\n", guest.ReadString(WasiGuest.Buffer, guest.ReadI32(200)));
        guest.Memory.WriteInt32(104, 100);
        Assert.Equal(Errno.Success, guest.Call("fd_read", 0, 100, 1, 200));
        Assert.Equal("line two\n", guest.ReadString(WasiGuest.Buffer, guest.ReadI32(200)));
        Assert.Equal(Errno.Success, guest.Call("fd_read", 0, 100, 1, 200));
        Assert.Equal(0, guest.ReadI32(200));
    }

    [Fact]
    public void UnsetStandardInputIsEmptyAndUnsetOutputIsDiscarded()
    {
        using var engine = new Engine();
        using var context = new WasiContext(new WasiConfiguration());
        using var store = new Store(engine);
        var linker = new Linker(engine).DefineWasi(context);
        var instance = linker.Instantiate(store, Module.FromText(engine, "m", """
            (module
              (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "read") (result i32 i32)
                (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 10))
                (call $read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)) (i32.load (i32.const 8)))
              (func (export "write") (result i32 i32)
                (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)) (i32.load (i32.const 8))))
            """));
        Assert.Equal((0, 0), instance.GetFunction<ValueTuple<int, int>>("read")!());
        Assert.Equal((0, 10), instance.GetFunction<ValueTuple<int, int>>("write")!());
    }

    [Fact]
    public void StandardStreamsCannotSeek()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Spipe, guest.Call("fd_seek", 1, 0L, 0, 200));
        Assert.Equal(Errno.Spipe, guest.Call("fd_tell", 1, 200));
        Assert.Equal(Errno.Spipe, guest.Call("fd_pread", 0, 100, 0, 0L, 200));
    }

    [Fact]
    public void StandardStreamsHaveOnlyTheirDirectionsRight()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Notcapable, WriteText(guest, 0, "x"));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_read", 1, 100, 0, 200));
        Assert.Equal(Errno.Success, guest.Call("fd_fdstat_get", 1, 300));
        Assert.Equal(0, guest.Memory.ReadByte(300)); // a captured stream is no terminal
        Assert.Equal(Errno.Success, guest.Call("fd_filestat_get", 1, 300));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_filestat_set_size", 1, 0L));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_allocate", 1, 0L, 1L));
    }

    [Fact]
    public void ClosedStandardOutputIsBadf()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Success, guest.Call("fd_close", 1));
        Assert.Equal(Errno.Badf, WriteText(guest, 1, "x"));
        Assert.True(guest.Stdout.CanWrite); // the embedder's stream is left open
    }

    [Theory]
    [InlineData("fd_write")]
    [InlineData("fd_read")]
    public void IovecArrayOutsideMemoryIsFault(string function)
    {
        using var guest = new WasiGuest(c => c.WithStandardInput(new MemoryStream([1, 2, 3])));
        int fd = function == "fd_write" ? 1 : 0;
        Assert.Equal(Errno.Fault, guest.Call(function, fd, 65536 - 4, 1, 200));
        Assert.Equal(Errno.Fault, guest.Call(function, fd, -8, 1, 200));
        guest.Memory.WriteInt32(100, 65000);
        guest.Memory.WriteInt32(104, 1000);
        Assert.Equal(Errno.Fault, guest.Call(function, fd, 100, 1, 200));
        guest.Memory.WriteInt32(100, 1000);
        guest.Memory.WriteInt32(104, 1);
        Assert.Equal(Errno.Fault, guest.Call(function, fd, 100, 1, 65536));
    }

    [Fact]
    public void ResultPointersOutsideMemoryAreFault()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Fault, guest.Call("args_sizes_get", 65536, 0));
        Assert.Equal(Errno.Fault, guest.Call("environ_sizes_get", 0, 65533));
        Assert.Equal(Errno.Fault, guest.Call("clock_time_get", 1, 0L, 65530));
        Assert.Equal(Errno.Fault, guest.Call("clock_res_get", 1, -1));
        Assert.Equal(Errno.Fault, guest.Call("random_get", 65000, 1000));
        Assert.Equal(Errno.Fault, guest.Call("fd_fdstat_get", 1, 65520));
        Assert.Equal(Errno.Fault, guest.Call("fd_filestat_get", 3, 65500));
        Assert.Equal(Errno.Fault, guest.Call("fd_prestat_get", 3, 65532));
        Assert.Equal(Errno.Fault, guest.Call("fd_prestat_dir_name", 3, 65530, 8));
        Assert.Equal(Errno.Fault, guest.Call("fd_readdir", 3, 65530, 100, 0L, 0));
        Assert.Equal(Errno.Fault, guest.Call("path_open", 3, 0, 65530, 10, 0, 0L, 0L, 0, 0));
        Assert.Equal(Errno.Fault, guest.Call("path_create_directory", 3, -1, 2));
        guest.Put(1000, ".");
        Assert.Equal(Errno.Fault, guest.Call("path_filestat_get", 3, 0, 1000, 1, 65530));
    }

    [Fact]
    public void ArgumentBuffersOutsideMemoryAreFault()
    {
        using var guest = new WasiGuest(c => c.WithArgs("a", "b"));
        Assert.Equal(Errno.Fault, guest.Call("args_get", 65534, 0));
        Assert.Equal(Errno.Fault, guest.Call("args_get", 0, 65535));
    }

    [Fact]
    public void GuestWithoutMemoryGetsFaultForPointerCalls()
    {
        using var engine = new Engine();
        using var context = new WasiContext(new WasiConfiguration());
        using var store = new Store(engine);
        var linker = new Linker(engine).DefineWasi(context);
        var instance = linker.Instantiate(store, Module.FromText(engine, "m", """
            (module
              (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
              (func (export "sizes") (result i32) (call $sizes (i32.const 0) (i32.const 4)))
              (func (export "yield") (result i32) (call $yield)))
            """));
        Assert.Equal((int)Errno.Fault, instance.GetFunction<int>("sizes")!());
        Assert.Equal(0, instance.GetFunction<int>("yield")!());
    }
}
