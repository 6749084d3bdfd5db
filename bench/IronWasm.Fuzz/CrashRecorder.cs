using IronWasm.Fuzzing;

namespace IronWasm.Fuzz;

/// <summary>Saves a module that made the engine misbehave, beside a note saying what happened, which
/// mutations made it and how to rebuild it.</summary>
internal static class CrashRecorder
{
    public static string Save(string folder, ModuleMutator mutator, HarnessOptions options, ulong seed, long index, byte[] module, string what)
    {
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, $"seed{seed}-module{index}");
        File.WriteAllBytes(stem + ".wasm", module);
        var trace = new List<string>();
        mutator.Create(seed, index, trace);
        File.WriteAllLines(stem + ".txt",
        [
            $"seed {seed}, module {index}, {module.Length} bytes",
            $"what happened: {what}",
            "mutations:",
            .. trace.Select(t => "  " + t),
            $"rebuild: dotnet run -c Release --project bench/IronWasm.Fuzz -- --seed {seed} --replay {index}{options.CorpusArguments()}",
        ]);
        return stem + ".wasm";
    }
}
