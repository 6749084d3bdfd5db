using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using IronWasm.Fuzzing;

namespace IronWasm.Fuzz;

/// <summary>Runs the campaign in a child process. A host crash (access violation, stack overflow,
/// fail-fast) cannot be caught inside the process that suffers it; the child records the module each
/// worker has in flight in a memory-mapped file, which outlives it, so the supervisor can rebuild and
/// save the modules that were running when it died.</summary>
internal static class Supervisor
{
    public static int Run(HarnessOptions options)
    {
        var inFlight = Path.Combine(Path.GetTempPath(), $"ironwasm-fuzz-{Environment.ProcessId}.inflight");
        var start = new ProcessStartInfo { UseShellExecute = false };
        var self = typeof(Supervisor).Assembly.Location;
        var host = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.FileName = host;
            start.ArgumentList.Add(self);
        }
        else
        {
            start.FileName = host;
        }
        foreach (var argument in options.CampaignArguments()) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--in-flight-file");
        start.ArgumentList.Add(inFlight);

        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the fuzz worker process");
        child.WaitForExit();
        int code = child.ExitCode;
        try
        {
            if (code is 0 or 1) return code; // finished; 1 = the child found and saved failures itself
            Console.WriteLine($"HOST CRASH: the fuzz process ended with exit code {code}");
            SaveInFlight(options, inFlight, $"host crash: the process ended with exit code {code} while this module was in flight");
            return 2;
        }
        finally
        {
            File.Delete(inFlight);
        }
    }

    /// <summary>Creates the file a child writes in-flight module indices to: one slot per worker.</summary>
    public static Action<int, long> OpenInFlightRecord(string path, int workers)
    {
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Create, null, 8L * workers);
        var view = file.CreateViewAccessor();
        for (int i = 0; i < workers; i++) view.Write(8L * i, -1L);
        return (worker, index) => view.Write(8L * worker, index);
    }

    private static void SaveInFlight(HarnessOptions options, string path, string what)
    {
        if (!File.Exists(path)) { Console.WriteLine("no in-flight record was written"); return; }
        var bytes = File.ReadAllBytes(path);
        var corpus = SeedCorpus.Load(options.UseSuite, options.SuiteFolder, options.CorpusFolder);
        var mutator = new ModuleMutator(corpus);
        for (int worker = 0; worker * 8 + 8 <= bytes.Length; worker++)
        {
            long index = BitConverter.ToInt64(bytes, worker * 8);
            if (index < 0) continue;
            var module = mutator.Create(options.Seed, index);
            var saved = CrashRecorder.Save(options.CrashFolder, mutator, options, options.Seed, index, module, what);
            Console.WriteLine($"  worker {worker} had module {index} in flight: saved {saved}");
        }
    }
}
