using IronWasm.Binary;
using IronWasm.Text;
using IronWasm.Validation;

namespace IronWasm.Benchmarks.Workloads;

/// <summary>Every valid module of the WebAssembly 2.0 spec suite (the top-level .wast files of
/// ../shared/wasm-testsuite, found from the working or base directory upwards): thousands of small
/// modules covering every instruction, so their throughput shows the per-module fixed costs.</summary>
internal static class SpecSuiteModules
{
    /// <summary>The suite's directory, or null when it is not beside the repository.</summary>
    public static string? FindSuite()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "wasm-testsuite");
                if (File.Exists(Path.Combine(candidate, "i32.wast"))) return candidate;
            }
        }
        return null;
    }

    /// <summary>The binaries of the modules the scripts define and instantiate (<c>module</c>
    /// commands; modules that scripts expect to be malformed or invalid are left out), each checked to
    /// decode and validate. Empty when the suite is absent.</summary>
    public static IReadOnlyList<byte[]> Load()
    {
        var suite = FindSuite();
        if (suite is null) return [];
        var modules = new List<byte[]>();
        foreach (var file in Directory.GetFiles(suite, "*.wast").Order(StringComparer.Ordinal))
        {
            var script = WastParser.Parse(File.ReadAllText(file), Path.GetFileName(file));
            foreach (var command in script.Commands)
            {
                if (command is WastModuleCommand { Module.Binary: { } binary } && IsValid(binary)) modules.Add(binary);
            }
        }
        return modules;
    }

    private static bool IsValid(byte[] binary)
    {
        try
        {
            ModuleValidator.Validate(ModuleDecoder.Decode(binary));
            return true;
        }
        catch (WasmException)
        {
            return false;
        }
    }
}
