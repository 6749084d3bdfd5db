namespace IronWasm;

/// <summary>What the compilation cache did for a module (see <see cref="Config.WithCompilationCache"/>).</summary>
public enum CompilationCacheStatus
{
    /// <summary>The module's code was loaded from a valid cache entry; nothing was compiled.</summary>
    Hit,
    /// <summary>There was no entry: the module was compiled and the entry written.</summary>
    Miss,
    /// <summary>An entry existed but was unusable (damaged, truncated, from another engine version or
    /// configuration, ...): the module was compiled and the entry rewritten.</summary>
    Rejected,
    /// <summary>The module was compiled, but its entry could not be written (the reason says why); the
    /// compiled code is used all the same.</summary>
    NotStored,
    /// <summary>The module cannot be cached (the reason says why): it is compiled lazily, as without a cache.</summary>
    Uncacheable,
}

/// <summary>How a module's code was obtained through the compilation cache: <see cref="Status"/>, the
/// entry's file, and for anything but a hit, the reason in a few words.</summary>
public sealed record CompilationCacheResult(CompilationCacheStatus Status, string EntryPath, string? Reason)
{
    /// <summary>One line for logs, e.g. "cache hit: ~/.cache/ironwasm/modules/3f...iwm" or
    /// "cache entry rejected (corrupted compiled module: checksum mismatch ...); recompiled and stored ...".</summary>
    public override string ToString() => Status switch
    {
        CompilationCacheStatus.Hit => $"cache hit: {EntryPath}",
        CompilationCacheStatus.Miss => $"cache miss ({Reason}); compiled and stored {EntryPath}",
        CompilationCacheStatus.Rejected => $"cache entry rejected ({Reason}); recompiled and stored {EntryPath}",
        CompilationCacheStatus.NotStored => $"cache entry {EntryPath} not stored ({Reason}); compiled",
        _ => $"not cached ({Reason}); compiled lazily",
    };
}
