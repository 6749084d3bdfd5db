using System.Globalization;
using System.Text;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Wasi;

namespace IronWasm.Benchmarks.Usb;

/// <summary>One of the C USB guests (guests/usb/*.wasm), run as a WASI command in this process: WASI
/// plus every hardware import from a <see cref="HardwareHost"/> over the benchmark's inventory, so the
/// guest reaches the very <c>SimulatedUsbBackend</c> the C# baseline uses. The module is decoded and
/// compiled once; each <see cref="Run"/> is a fresh store, instance and host (the host is disposed after,
/// which closes whatever the guest left open, so the C# side can open the device again).</summary>
internal sealed class WasmUsbGuest
{
    public const string GuestName = "bench";

    /// <summary>The grant the guest runs under: the echo device and the disk, every interface.</summary>
    public const string PolicyYaml = """
        guests:
          bench:
            usb:
              - { vendor: 0x1209, product: 0x0001 }
              - { vendor: 0x1209, product: 0x0002 }
        """;

    private readonly Engine _engine;
    private readonly Module _module;
    private readonly string _program;

    public WasmUsbGuest(Engine engine, string path)
    {
        _engine = engine;
        Path = path;
        _program = System.IO.Path.GetFileNameWithoutExtension(path);
        _module = Module.FromFile(engine, path);
    }

    public string Path { get; }

    /// <summary>Runs the command with <paramref name="args"/> (argv[0] added); returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">It exited with a non-zero status (its stderr is in the message).</exception>
    public string Run(HardwareInventory inventory, PolicyEngine policy, params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        int exit;
        using (var host = new HardwareHost(inventory, policy))
        using (var context = new WasiContext(new WasiConfiguration().WithArgs([_program, .. args]).WithStandardOutput(stdout).WithStandardError(stderr)))
        using (var store = new Store(_engine))
        {
            var linker = new Linker(_engine).DefineWasi(context, _module);
            host.DefineImports(linker, new CanonicalInstance(), GuestName);
            exit = WasiCommand.Run(linker, store, _module);
        }
        string output = Encoding.UTF8.GetString(stdout.ToArray());
        if (exit != 0)
            throw new InvalidOperationException($"{_program} {string.Join(' ', args)} exited with {exit}: {Encoding.UTF8.GetString(stderr.ToArray()).Trim()}");
        return output;
    }

    /// <summary>The <c>result key=value ...</c> lines of a guest's output, as dictionaries.</summary>
    public static List<Dictionary<string, string>> Results(string output)
    {
        var results = new List<Dictionary<string, string>>();
        foreach (var line in output.Split('\n'))
        {
            var words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0] != "result") continue;
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var word in words.Skip(1))
            {
                int eq = word.IndexOf('=');
                if (eq > 0) fields[word[..eq]] = word[(eq + 1)..];
            }
            results.Add(fields);
        }
        return results;
    }

    public static double Number(Dictionary<string, string> result, string key, string line) =>
        result.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new FormatException($"a result line has no number `{key}`: {line}");
}
