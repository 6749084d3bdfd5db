using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using IronWasm.Binary;
using IronWasm.Compilation;
using IronWasm.Loading;
using IronWasm.Runtime;
using IronWasm.Validation;

namespace IronWasm.Caching;

/// <summary>The on-disk cache of compiled modules (<see cref="Config.WithCompilationCache"/>): one file
/// per (Wasm binary, engine build, code-shaping settings) in <c>DIR/modules/</c>, named by hashes
/// of those three, in the <see cref="ModuleArtifact"/> format. An entry that fails any check is never
/// used: the module is compiled again and the entry replaced. Entries are written to a temporary file
/// and renamed into place, so readers and concurrent writers only ever see whole entries. After each
/// write, the least recently used entries are deleted while the total is over the size bound.</summary>
internal sealed class CompilationCache
{
    public const string EntryExtension = ".iwm";
    private const string TemporaryExtension = ".tmp";
    private static readonly TimeSpan TouchInterval = TimeSpan.FromHours(1);
    private static readonly TimeSpan StaleTemporary = TimeSpan.FromHours(1);

    private readonly string _modules;

    public CompilationCache(string directory, long maxBytes)
    {
        Directory = Path.GetFullPath(directory);
        MaxBytes = maxBytes;
        _modules = ModulesDirectory(Directory);
    }

    /// <summary>Where a cache directory keeps its entries.</summary>
    public static string ModulesDirectory(string directory) => Path.Combine(directory, "modules");

    public string Directory { get; }
    public long MaxBytes { get; }

    /// <summary>The module for <paramref name="wasm"/>: from its entry when that is valid, else compiled
    /// (decoded, validated, every function compiled into a persisted assembly) and stored. A module
    /// that is malformed or invalid throws as <see cref="Module.FromBytes(Engine, string, byte[])"/>
    /// does, and nothing is stored for it.</summary>
    public Module GetModule(Engine engine, string name, byte[] wasm)
    {
        string path = EntryPath(wasm, EngineIdentity.Fingerprint(engine.Options));
        string? reason = CheckDirectory();
        var status = CompilationCacheStatus.Miss;
        if (reason is null)
        {
            byte[]? entry = TryRead(path, out int length, out reason);
            if (entry is not null)
            {
                try
                {
                    var loaded = ModuleArtifact.Load(engine, entry.AsSpan(0, length), wasm);
                    Touch(path);
                    return Module.FromPersisted(engine, name, loaded, new CompilationCacheResult(CompilationCacheStatus.Hit, path, null));
                }
                catch (SerializedModuleException e)
                {
                    status = CompilationCacheStatus.Rejected;
                    reason = e.Message;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(entry);
                }
            }
        }
        else
        {
            status = CompilationCacheStatus.NotStored;
        }

        var module = Module.Compile(engine, name, wasm);
        (ReadOnlyMemory<byte> Image, int FirstMethodToken) code;
        try
        {
            code = ModuleAssemblyBuilder.Build(module.Compiled);
        }
        catch (NotSupportedException e)
        {
            module.CacheResult = new CompilationCacheResult(CompilationCacheStatus.Uncacheable, path, e.Message);
            return module;
        }
        var bytes = ModuleArtifact.Write(new ModuleArtifact.Contents(EngineIdentity.Current, EngineIdentity.Fingerprint(engine.Options),
            name, wasm, code.Image, code.FirstMethodToken, module.Compiled.Definition.FunctionTypeIndices.Count));
        if (status != CompilationCacheStatus.NotStored && TryWrite(path, bytes, out var writeError) is false)
        {
            status = CompilationCacheStatus.NotStored;
            reason = writeError;
        }
        // Run the code just stored, as a later hit will (it also JIT-compiles faster than DynamicMethods:
        // see Compilation/RATIONALE.md).
        var definition = module.Compiled.Definition;
        var persisted = PersistedCode.Load(code.Image, code.FirstMethodToken, definition, engine.Config.CompiledCodeLoading);
        return Module.FromPersisted(engine, name, new ModuleArtifact.ModuleLoadResult(name, definition, persisted, wasm),
            new CompilationCacheResult(status, path, reason ?? "no entry"));
    }

    /// <summary>The entry's file: the XXH64 of the engine identity and configuration fingerprint, then
    /// the XXH64 of the Wasm binary, so every input that changes the code changes the name. Names may
    /// collide (XXH64 is not collision resistant); that costs a recompilation, never wrong code,
    /// because an entry is used only for the very Wasm binary stored in it.</summary>
    public string EntryPath(ReadOnlySpan<byte> wasm, uint fingerprint)
    {
        var identity = Encoding.UTF8.GetBytes($"ironwasm-cache-2\n{EngineIdentity.Current}\n{fingerprint}\n");
        Span<byte> name = stackalloc byte[16];
        ulong wasmHash = XxHash64.Hash(wasm);
        BinaryPrimitives.WriteUInt64BigEndian(name, XxHash64.Hash(identity, wasmHash));
        BinaryPrimitives.WriteUInt64BigEndian(name[8..], wasmHash);
        return Path.Combine(_modules, Hex.Lower(name) + EntryExtension);
    }

    /// <summary>Creates the cache directories (owner-only) if needed; null when they are usable, else
    /// why not. A directory that other users can write to is refused: they could plant entries, and
    /// entries are code that runs outside the Wasm sandbox.</summary>
    private string? CheckDirectory()
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(_modules);
                return null;
            }
            const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            foreach (var directory in (string[])[Directory, _modules])
            {
                if (!System.IO.Directory.Exists(directory)) System.IO.Directory.CreateDirectory(directory, OwnerOnly);
                var mode = File.GetUnixFileMode(directory);
                if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
                    return $"{directory} is writable by other users";
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot use {Directory}: {e.Message}";
        }
    }

    /// <summary>The entry's bytes (<see cref="PooledFile.Read"/>: the caller returns the buffer to
    /// the pool), or null and why not.</summary>
    private static byte[]? TryRead(string path, out int length, out string? reason)
    {
        length = 0;
        try
        {
            reason = null;
            return PooledFile.Read(path, out length);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            reason = "no entry";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot read the entry: {e.Message}";
            return null;
        }
    }

    /// <summary>Writes a temporary file beside the entry and renames it over the entry: rename is
    /// atomic, so a reader sees the old entry or the new one, and of two processes writing the same
    /// entry the last rename wins with a complete file.</summary>
    private bool TryWrite(string path, byte[] bytes, out string? error)
    {
        string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}{TemporaryExtension}";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
                stream.Write(bytes);
            File.Move(temporary, path, overwrite: true);
            error = null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            error = $"cannot write the entry: {e.Message}";
            return false;
        }
        Trim();
        return true;
    }

    /// <summary>Marks an entry as recently used (its modification time, which <see cref="Trim"/>
    /// orders by); at most once per <see cref="TouchInterval"/>, so hits rarely write.</summary>
    private static void Touch(string path)
    {
        try
        {
            var now = DateTime.UtcNow;
            if (now - File.GetLastWriteTimeUtc(path) > TouchInterval) File.SetLastWriteTimeUtc(path, now);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only cache still serves hits.
        }
    }

    /// <summary>Deletes the least recently used entries while the cache holds more than
    /// <see cref="MaxBytes"/>, down to three quarters of it, and temporary files left by writers that died.</summary>
    internal void Trim()
    {
        try
        {
            var now = DateTime.UtcNow;
            var (entries, total, temporaries) = Survey(Directory);
            foreach (var file in temporaries)
                if (now - file.LastWriteTimeUtc > StaleTemporary) TryDelete(file.FullName);
            if (total <= MaxBytes) return;
            entries.Sort((a, b) => a.LastWriteTimeUtc.CompareTo(b.LastWriteTimeUtc));
            long target = MaxBytes / 4 * 3;
            foreach (var file in entries)
            {
                if (total <= target) break;
                if (TryDelete(file.FullName)) total -= file.Length;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Trimming is best effort; another process may be trimming the same directory.
        }
    }

    /// <summary>The entries of the cache in <paramref name="directory"/>, their total size, and the
    /// temporary files of writers; none when there is no cache there.</summary>
    internal static (List<FileInfo> Entries, long Bytes, List<FileInfo> Temporaries) Survey(string directory)
    {
        var entries = new List<FileInfo>();
        var temporaries = new List<FileInfo>();
        long bytes = 0;
        var modules = new DirectoryInfo(ModulesDirectory(directory));
        if (!modules.Exists) return (entries, 0, temporaries);
        foreach (var file in modules.EnumerateFiles())
        {
            if (file.Name.EndsWith(EntryExtension, StringComparison.Ordinal))
            {
                long length;
                try
                {
                    length = file.Length;
                }
                catch (FileNotFoundException)
                {
                    continue; // Trimmed or cleared by another process since the listing.
                }
                entries.Add(file);
                bytes += length;
            }
            else if (file.Name.EndsWith(TemporaryExtension, StringComparison.Ordinal))
            {
                temporaries.Add(file);
            }
        }
        return (entries, bytes, temporaries);
    }

    /// <summary>Deletes the entries and temporary files of the cache in <paramref name="directory"/>;
    /// returns the entries deleted. A file that is already gone (another process trimmed or cleared
    /// it) counts as deleted by that process, not this one; one that cannot be deleted throws once
    /// the others are gone.</summary>
    internal static CompilationCacheUsage Clear(string directory)
    {
        var (entries, _, temporaries) = Survey(directory);
        int deleted = 0;
        long bytes = 0;
        Exception? failure = null;
        foreach (var file in entries)
        {
            if (Delete(file))
            {
                deleted++;
                bytes += file.Length;
            }
        }
        foreach (var file in temporaries) Delete(file);
        if (failure is not null) throw failure;
        return new CompilationCacheUsage(deleted, bytes);

        bool Delete(FileInfo file)
        {
            try
            {
                if (!File.Exists(file.FullName)) return false;
                File.Delete(file.FullName);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failure ??= e;
                return false;
            }
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The directory used when none is given: $IRONWASM_CACHE_DIR, else
    /// $XDG_CACHE_HOME/ironwasm, else ~/.cache/ironwasm (on Windows, %LOCALAPPDATA%\ironwasm\cache).</summary>
    public static string DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable("IRONWASM_CACHE_DIR") is { Length: > 0 } explicitDirectory) return explicitDirectory;
        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "ironwasm");
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ironwasm", "cache");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ironwasm");
    }
}
