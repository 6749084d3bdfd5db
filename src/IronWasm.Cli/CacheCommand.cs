using System.CommandLine;

namespace IronWasm.Cli;

/// <summary><c>ironwasm cache [clear] [--cache-dir DIR]</c>: where the compilation cache `run` uses
/// is, how much it holds, and emptying it. Only the cache's own files are touched
/// (<see cref="CompilationCacheDirectory"/>).</summary>
internal static class CacheCommand
{
    public static Command Create(CliConsole console)
    {
        var directory = new Option<string>("--cache-dir")
        {
            Description = "The compilation cache's directory (default: $IRONWASM_CACHE_DIR, $XDG_CACHE_HOME/ironwasm or ~/.cache/ironwasm).",
            HelpName = "DIR",
        };
        var clear = new Command("clear", "Delete every compiled module in the cache; the next run of each module compiles it again.") { directory };
        clear.SetAction(parse => Clear(parse.GetValue(directory), console));
        var command = new Command("cache", "Show where the compilation cache is and how much it holds (`ironwasm run` uses it unless --no-cache).")
        {
            directory, clear,
        };
        command.SetAction(parse => Show(parse.GetValue(directory), console));
        return command;
    }

    public static int Show(string? path, CliConsole console)
    {
        var cache = new CompilationCacheDirectory(path);
        if (!cache.Exists)
        {
            console.Out.WriteLine($"{cache.Path}: no compilation cache yet (the first `ironwasm run` of a module makes it)");
            return ExitCodes.Success;
        }
        var usage = OnFiles(cache, cache.GetUsage, "cannot read the cache");
        console.Out.WriteLine($"{cache.Path}: {Modules(usage.Entries)}, {Size(usage.Bytes)} (trimmed to stay under {Size(Config.DefaultCompilationCacheMaxBytes)})");
        return ExitCodes.Success;
    }

    public static int Clear(string? path, CliConsole console)
    {
        var cache = new CompilationCacheDirectory(path);
        if (!cache.Exists)
        {
            console.Out.WriteLine($"{cache.Path}: no compilation cache, nothing to delete");
            return ExitCodes.Success;
        }
        var deleted = OnFiles(cache, cache.Clear, "cannot delete every compiled module");
        console.Out.WriteLine($"{cache.Path}: deleted {Modules(deleted.Entries)}, {Size(deleted.Bytes)}");
        return ExitCodes.Success;
    }

    /// <summary>Runs <paramref name="action"/> on the cache's files; a file error becomes exit status 74 and one line.</summary>
    private static CompilationCacheUsage OnFiles(CompilationCacheDirectory cache, Func<CompilationCacheUsage> action, string failure)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.IoError, $"{cache.Path}: {failure}: {ModuleFile.OneLine(e.Message)}");
        }
    }

    private static string Modules(int count) => count == 1 ? "1 compiled module" : $"{count:N0} compiled modules";

    /// <summary>Bytes in the largest binary unit that keeps a whole number in front: 0 B, 950 KiB, 3.4 MiB.</summary>
    internal static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value < 10 ? $"{value:0.0} {units[unit]}" : $"{value:0} {units[unit]}";
    }
}
