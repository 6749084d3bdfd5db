using IronWasm.Caching;

namespace IronWasm;

/// <summary>A compilation cache directory (<see cref="Config.WithCompilationCache"/>) from outside: how
/// much it holds, and emptying it. Only the cache's own files are counted or removed (compiled
/// modules and the temporary files of writers), never anything else in the directory, so pointing
/// this at the wrong directory deletes nothing of the user's.</summary>
public sealed class CompilationCacheDirectory
{
    /// <param name="path">The cache directory (default <see cref="Config.DefaultCompilationCacheDirectory"/>).</param>
    public CompilationCacheDirectory(string? path = null)
    {
        Path = System.IO.Path.GetFullPath(path ?? Config.DefaultCompilationCacheDirectory);
    }

    /// <summary>The directory, as an absolute path.</summary>
    public string Path { get; }

    /// <summary>Whether the directory holds a cache (it is created by the first module stored).</summary>
    public bool Exists => Directory.Exists(CompilationCache.ModulesDirectory(Path));

    /// <summary>The compiled modules the cache holds now (entries being written are not counted).</summary>
    public CompilationCacheUsage GetUsage()
    {
        var (entries, bytes, _) = CompilationCache.Survey(Path);
        return new CompilationCacheUsage(entries.Count, bytes);
    }

    /// <summary>Deletes every compiled module, and temporary files of writers; returns what was deleted.
    /// Processes using the cache meanwhile are not disturbed: a module being read stays readable until
    /// closed, and one being written lands after the clear. Throws <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/> when an entry cannot be deleted, having deleted the others.</summary>
    public CompilationCacheUsage Clear() => CompilationCache.Clear(Path);
}

/// <summary>How many compiled modules a compilation cache holds and their total size in bytes.</summary>
public readonly record struct CompilationCacheUsage(int Entries, long Bytes);
