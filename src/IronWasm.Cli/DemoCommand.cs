using System.Reflection;
using IronWasm.Wasi;

namespace IronWasm.Cli;

/// <summary><c>ironwasm demo</c>: a tour of what IronWasm does today, on guests built into the
/// command, so it needs no files and no hardware. The sensor-to-display demo on simulated hardware
/// takes its place once the hardware hosts exist (issue 6).</summary>
internal static class DemoCommand
{
    public static int Execute(CliConsole console)
    {
        var output = console.Out;
        output.WriteLine("IronWasm demo: untrusted WebAssembly guests, run with exactly the capabilities they are given.");

        Step(output, 1, "A C program compiled to WebAssembly runs under WASI");
        RunHello(console);

        Step(output, 2, "Drivers are separate Wasm modules, linked at run time and swapped while the app runs");
        ThermometerDemo.Run(output);

        Step(output, 3, "A guest that never stops is stopped by its fuel; the host carries on");
        RunToLimit(output, "(module (func $spin (export \"spin\") (loop (br 0))))", "spin", fuel: 5_000_000);

        Step(output, 4, "Recursion without end traps with a Wasm backtrace instead of crashing the host");
        RunToLimit(output, "(module (func $descend (export \"descend\") (call $descend)))", "descend", fuel: null);

        output.WriteLine();
        output.WriteLine("Every guest above ran in this one process, which is still here.");
        return ExitCodes.Success;
    }

    private static void Step(TextWriter output, int number, string title)
    {
        output.WriteLine();
        output.WriteLine($"{number}. {title}");
    }

    private static void RunHello(CliConsole console)
    {
        var engine = new Engine();
        var module = Module.FromBytes(engine, "hello", BuiltInGuests.Read("hello.wasm"));
        var wasi = new WasiConfiguration().WithArgs("hello.wasm");
        if (console.Output is { } stream) wasi.WithStandardOutput(stream); else wasi.WithInheritedStandardOutput();
        using var context = new WasiContext(wasi);
        using var store = new Store(engine);
        console.Out.Flush();
        int status = WasiCommand.Run(new Linker(engine).DefineWasi(context, module), store, module);
        console.Out.WriteLine($"   (exit status {status}; the guest saw no files, no environment and no network)");
    }

    private static void RunToLimit(TextWriter output, string wat, string export, long? fuel)
    {
        var engine = new Engine(new Config().WithFuelConsumption(fuel is not null));
        using var store = new Store(engine);
        if (fuel is { } amount) store.Fuel = amount;
        var instance = new Linker(engine).Instantiate(store, Module.FromText(engine, export, wat));
        try
        {
            instance.GetAction(export)!();
            output.WriteLine("   the guest returned (unexpected)");
        }
        catch (TrapException trap)
        {
            output.WriteLine($"   trap: {trap.Message} [{trap.Code}]");
            if (trap.WasmBacktrace.Count > 0)
                output.WriteLine($"   backtrace: {trap.WasmBacktrace[0]} ... ({trap.WasmBacktrace.Count} frames)");
        }
    }
}

/// <summary>The guest modules embedded in the command for the demo.</summary>
internal static class BuiltInGuests
{
    public static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("guests/" + name)
            ?? throw new InvalidOperationException($"the built-in guest {name} is missing from the command");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static string ReadText(string name) => System.Text.Encoding.UTF8.GetString(Read(name));
}
