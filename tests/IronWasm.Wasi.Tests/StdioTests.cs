using System.Text;

namespace IronWasm.Wasi.Tests;

public class StdioTests
{
    private const string Hello = """
        (module
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory (export "memory") 1)
          (data (i32.const 16) "hello, world\n")
          (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 13))
            (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
        """;

    private static (int Code, string Stdout) RunCommand(string text, Action<WasiConfiguration>? configure = null)
    {
        var stdout = new MemoryStream();
        var configuration = new WasiConfiguration().WithStandardOutput(stdout);
        configure?.Invoke(configuration);
        using var engine = new Engine();
        using var context = new WasiContext(configuration);
        using var store = new Store(engine);
        var linker = new Linker(engine).DefineWasi(context);
        int code = WasiCommand.Run(linker, store, Module.FromText(engine, "command", text));
        return (code, Encoding.UTF8.GetString(stdout.ToArray()));
    }

    [Fact]
    public void CommandWritesToCapturedStandardOutput()
    {
        var (code, stdout) = RunCommand(Hello);
        Assert.Equal(0, code);
        Assert.Equal("hello, world\n", stdout);
    }

    [Fact]
    public void ProcExitCodeIsReturnedByRun()
    {
        var (code, _) = RunCommand("""
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              (func (export "_start") (call $exit (i32.const 42)) unreachable))
            """);
        Assert.Equal(42, code);
    }
}
