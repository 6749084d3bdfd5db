using IronWasm.Caching;

namespace IronWasm.Tests.Caching;

/// <summary>The on-disk cache behind <see cref="Config.WithCompilationCache"/>: the first load compiles and
/// stores, later loads hit; any entry that is damaged, foreign or mismatched is refused, the module
/// recompiled and the entry rewritten; writers never leave a partial entry.</summary>
public sealed class CompilationCacheTests : IDisposable
{
    private const string Wat = """
        (module (memory 1)
          (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
          (func (export "f") (param i32) (result i32) (i32.add (call $sq (local.get 0)) (i32.const 1))))
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("ironwasm-cache-test-").FullName;
    private readonly byte[] _wasm = IronWasm.Text.WatParser.ParseModule(Wat);

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }

    private Engine CachedEngine(Config? config = null) => new((config ?? new Config()).WithCompilationCache(_directory));

    private Module Load(Engine? engine = null, byte[]? wasm = null) => Module.FromBytes(engine ?? CachedEngine(), "m", wasm ?? _wasm);

    private static int Run(Module module, int argument) =>
        new Linker(module.Engine).Instantiate(new Store(module.Engine), module).GetFunction<int, int>("f")!(argument);

    private string EntryPath() => Assert.Single(Directory.GetFiles(Path.Combine(_directory, "modules"), "*" + CompilationCache.EntryExtension));

    [Fact]
    public void FirstLoadCompilesAndStoresThenLaterLoadsHit()
    {
        var first = Load();
        Assert.Equal(CompilationCacheStatus.Miss, first.CacheResult!.Status);
        Assert.Equal("no entry", first.CacheResult.Reason);
        Assert.Equal(EntryPath(), first.CacheResult.EntryPath);
        Assert.Equal(50, Run(first, 7));

        var second = Load();
        Assert.Equal(CompilationCacheStatus.Hit, second.CacheResult!.Status);
        Assert.Equal(first.CacheResult.EntryPath, second.CacheResult.EntryPath);
        Assert.Equal(50, Run(second, 7));
    }

    [Fact]
    public void TheCacheIsOffUnlessConfigured()
    {
        var module = Module.FromBytes(new Engine(), "m", _wasm);
        Assert.Null(module.CacheResult);
        Assert.Null(module.Compiled.Code);
        Assert.Null(new Config().CompilationCacheDirectory);
    }

    [Fact]
    public void EntriesAreCodeForThisModuleOnly()
    {
        Load();
        var other = IronWasm.Text.WatParser.ParseModule(Wat.Replace("(i32.const 1)", "(i32.const 2)"));
        var module = Load(wasm: other);
        Assert.Equal(CompilationCacheStatus.Miss, module.CacheResult!.Status);
        Assert.Equal(51, Run(module, 7));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_directory, "modules")).Length);
    }

    [Fact]
    public void EachConfigurationHasItsOwnEntry()
    {
        Load();
        var fuel = Load(CachedEngine(new Config().WithFuelConsumption(true)));
        Assert.Equal(CompilationCacheStatus.Miss, fuel.CacheResult!.Status);
        Assert.Equal(CompilationCacheStatus.Hit, Load(CachedEngine(new Config().WithFuelConsumption(true))).CacheResult!.Status);
        Assert.Equal(CompilationCacheStatus.Hit, Load().CacheResult!.Status);
    }

    public static TheoryData<string> Damages() => new()
    {
        "empty", "truncated-header", "truncated-payload", "flipped-header", "flipped-payload", "garbage", "appended", "wasm-binary",
        "other-engine", "other-configuration", "other-module",
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void ADamagedEntryIsRejectedRecompiledAndRewritten(string damage)
    {
        Load();
        var path = EntryPath();
        var entry = File.ReadAllBytes(path);
        byte[] damaged = damage switch
        {
            "empty" => [],
            "truncated-header" => entry[..40],
            "truncated-payload" => entry[..^1],
            "flipped-header" => Flip(entry, 30),
            "flipped-payload" => Flip(entry, entry.Length - 50),
            "garbage" => RandomBytes(entry.Length),
            "appended" => [.. entry, 1, 2, 3],
            "wasm-binary" => _wasm,
            "other-engine" => CorruptionTests.Rewrite(entry, engineIdentity: "IronWasm 9.9.9; build ffffffffffffffffffffffffffffffff; .NET 10.0.0"),
            "other-configuration" => CorruptionTests.Rewrite(entry, fingerprint: 1),
            "other-module" => CorruptionTests.Rewrite(entry, wasm: IronWasm.Text.WatParser.ParseModule("(module)")),
            _ => throw new ArgumentException(damage),
        };
        File.WriteAllBytes(path, damaged);

        var module = Load();
        Assert.Equal(CompilationCacheStatus.Rejected, module.CacheResult!.Status);
        Assert.False(string.IsNullOrEmpty(module.CacheResult.Reason));
        Assert.Equal(50, Run(module, 7));
        Assert.Equal(entry.Length, new FileInfo(path).Length);
        Assert.Equal(CompilationCacheStatus.Hit, Load().CacheResult!.Status);
    }

    [Fact]
    public void RejectionReasonsSayWhatWasWrong()
    {
        Load();
        var path = EntryPath();
        File.WriteAllBytes(path, Flip(File.ReadAllBytes(path), 200));
        Assert.Contains("checksum mismatch", Load().CacheResult!.Reason);
        File.WriteAllBytes(path, CorruptionTests.Rewrite(File.ReadAllBytes(path), engineIdentity: "IronWasm old"));
        Assert.Contains("compiled by IronWasm old", Load().CacheResult!.Reason);
    }

    [Fact]
    public void ConcurrentWritersLeaveOneValidEntry()
    {
        const int Writers = 8;
        var results = new CompilationCacheStatus[Writers];
        using var start = new Barrier(Writers);
        var threads = Enumerable.Range(0, Writers).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            var module = Load(CachedEngine());
            results[i] = module.CacheResult!.Status;
            Assert.Equal(50, Run(module, 7));
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();

        Assert.All(results, status => Assert.True(status is CompilationCacheStatus.Miss or CompilationCacheStatus.Hit, status.ToString()));
        Assert.Single(Directory.GetFiles(Path.Combine(_directory, "modules")));
        Assert.Equal(CompilationCacheStatus.Hit, Load().CacheResult!.Status);
    }

    /// <summary>A module whose entry is much larger than <see cref="Wat"/>'s: a 200 KB data segment.</summary>
    private static byte[] LargeWasm(int value) => IronWasm.Text.WatParser.ParseModule($$"""
        (module (memory 4)
          (data (i32.const 0) "{{new string('x', 200_000)}}")
          (func (export "f") (param i32) (result i32)
            (i32.add (i32.load8_u (i32.const 199999)) (i32.add (local.get 0) (i32.const {{value}})))))
        """);

    [Fact]
    public void HitsOfEntriesOfDifferentSizesInTurnEachLoadTheirOwnModule()
    {
        // Entries are read into reused buffers, usually larger than the entry: only the entry's own
        // bytes may count.
        var large = LargeWasm(1000);
        Assert.Equal(CompilationCacheStatus.Miss, Load(wasm: large).CacheResult!.Status);
        Assert.Equal(CompilationCacheStatus.Miss, Load().CacheResult!.Status);
        for (int round = 0; round < 3; round++)
        {
            var big = Load(wasm: large);
            var small = Load();
            Assert.Equal(CompilationCacheStatus.Hit, big.CacheResult!.Status);
            Assert.Equal(CompilationCacheStatus.Hit, small.CacheResult!.Status);
            Assert.Equal(1000 + 7 + 'x', Run(big, 7));
            Assert.Equal(50, Run(small, 7));
        }
    }

    [Fact]
    public void AShortEntryReadAfterALongerOneIsStillSeenAsTruncated()
    {
        var large = LargeWasm(3);
        Load(wasm: large);
        Load(wasm: large);
        Load();
        var path = Path.Combine(_directory, "modules", Path.GetFileName(Load().CacheResult!.EntryPath));
        var entry = File.ReadAllBytes(path);
        File.WriteAllBytes(path, entry[..^1]);
        Load(wasm: large);
        var module = Load();
        Assert.Equal(CompilationCacheStatus.Rejected, module.CacheResult!.Status);
        Assert.Contains("truncated", module.CacheResult.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(50, Run(module, 7));
        Assert.Equal(entry.Length, new FileInfo(path).Length);
        Assert.Equal(CompilationCacheStatus.Hit, Load().CacheResult!.Status);
    }

    [Fact]
    public void ConcurrentHitsOfDistinctEntriesEachGetTheirOwnModule()
    {
        const int Threads = 8;
        var modules = Enumerable.Range(0, Threads).Select(i => LargeWasm(i * 10)).ToArray();
        foreach (var wasm in modules) Load(wasm: wasm);
        var failures = new string?[Threads];
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            for (int round = 0; round < 5; round++)
            {
                var module = Load(CachedEngine(), modules[(i + round) % Threads]);
                int expected = (i + round) % Threads * 10 + 1 + 'x';
                if (module.CacheResult!.Status != CompilationCacheStatus.Hit || Run(module, 1) != expected)
                    failures[i] = $"thread {i} round {round}: {module.CacheResult.Status}";
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        Assert.All(failures, Assert.Null);
    }

    [Fact]
    public void ReadersNeverSeeAPartialEntryWhileItIsRewritten()
    {
        Load();
        var path = EntryPath();
        var good = File.ReadAllBytes(path);
        var failures = 0;
        var stop = false;
        var writer = new Thread(() =>
        {
            // Damage the entry again and again; every load in between rewrites it whole.
            while (!Volatile.Read(ref stop))
            {
                var temporary = path + ".test.tmp";
                File.WriteAllBytes(temporary, good[..(good.Length / 2)]);
                File.Move(temporary, path, overwrite: true);
                Thread.Sleep(1);
            }
        });
        writer.Start();
        for (int i = 0; i < 30; i++)
        {
            var module = Load();
            if (module.CacheResult!.Status is not (CompilationCacheStatus.Hit or CompilationCacheStatus.Rejected)) failures++;
            if (Run(module, 3) != 10) failures++;
        }
        Volatile.Write(ref stop, true);
        writer.Join();
        Assert.Equal(0, failures);
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_directory, "modules"), "*.tmp"), f => !f.EndsWith(".test.tmp"));
    }

    [Fact]
    public void TheCacheIsTrimmedToItsSizeBoundOldestFirst()
    {
        var modules = Path.Combine(_directory, "modules");
        long limit = 0;
        for (int i = 0; i < 4; i++)
        {
            var wasm = IronWasm.Text.WatParser.ParseModule(Wat.Replace("(i32.const 1)", $"(i32.const {i + 10})"));
            var engine = new Engine(new Config().WithCompilationCache(_directory, maxBytes: limit == 0 ? long.MaxValue : limit));
            var module = Module.FromBytes(engine, "m", wasm);
            File.SetLastWriteTimeUtc(module.CacheResult!.EntryPath, DateTime.UtcNow.AddHours(i - 10));
            if (i == 0) limit = new FileInfo(module.CacheResult.EntryPath).Length * 3;
        }
        var remaining = Directory.GetFiles(modules);
        Assert.True(remaining.Length is >= 1 and <= 3, $"{remaining.Length} entries remain");
        Assert.True(remaining.Sum(f => new FileInfo(f).Length) <= limit);
        // The newest entry (just written) survives; the oldest does not.
        var newest = IronWasm.Text.WatParser.ParseModule(Wat.Replace("(i32.const 1)", "(i32.const 13)"));
        Assert.Equal(CompilationCacheStatus.Hit, Module.FromBytes(CachedEngine(), "m", newest).CacheResult!.Status);
    }

    [Fact]
    public void StaleTemporaryFilesAreCleanedUp()
    {
        Load();
        var stale = Path.Combine(_directory, "modules", "abc.iwm.123.dead.tmp");
        File.WriteAllBytes(stale, [1, 2, 3]);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-1));
        new CompilationCache(_directory, long.MaxValue).Trim();
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void ADirectoryOthersCanWriteIsNotUsed()
    {
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(_directory, File.GetUnixFileMode(_directory) | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        var module = Load();
        Assert.Equal(CompilationCacheStatus.NotStored, module.CacheResult!.Status);
        Assert.Contains("writable by other users", module.CacheResult.Reason);
        Assert.Equal(50, Run(module, 7));
        Assert.False(Directory.Exists(Path.Combine(_directory, "modules")) && Directory.GetFiles(Path.Combine(_directory, "modules")).Length > 0);
    }

    [Fact]
    public void NewCacheDirectoriesAreOwnerOnly()
    {
        if (OperatingSystem.IsWindows()) return;
        var nested = Path.Combine(_directory, "new", "cache");
        Module.FromBytes(new Engine(new Config().WithCompilationCache(nested)), "m", _wasm);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(nested));
    }

    [Fact]
    public void AnUnwritableCacheStillRunsTheModule()
    {
        var file = Path.Combine(_directory, "not-a-directory");
        File.WriteAllBytes(file, [0]);
        var module = Module.FromBytes(new Engine(new Config().WithCompilationCache(file)), "m", _wasm);
        Assert.Equal(CompilationCacheStatus.NotStored, module.CacheResult!.Status);
        Assert.Equal(50, Run(module, 7));
    }

    [Fact]
    public void MalformedModulesThrowAsWithoutTheCacheAndStoreNothing()
    {
        Assert.Throws<WasmFormatException>(() => Load(wasm: [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 99]));
        Assert.False(Directory.Exists(Path.Combine(_directory, "modules")) && Directory.GetFiles(Path.Combine(_directory, "modules")).Length > 0);
    }

    [Fact]
    public void UncacheableModulesRunCompiledLazily()
    {
        var wide = string.Join(" ", Enumerable.Repeat("i32", 17));
        var wasm = IronWasm.Text.WatParser.ParseModule(
            $"(module (type $t (func (param {wide}))) (table 1 funcref) (func (export \"g\") {string.Concat(Enumerable.Repeat("(i32.const 0) ", 17))}(call_indirect (type $t) (i32.const 0))))");
        var module = Load(wasm: wasm);
        Assert.Equal(CompilationCacheStatus.Uncacheable, module.CacheResult!.Status);
        Assert.Null(module.Compiled.Code);
        var instance = new Linker(module.Engine).Instantiate(new Store(module.Engine), module);
        Assert.Equal(TrapCode.IndirectCallToNull, Assert.Throws<TrapException>(() => instance.GetAction("g")!()).Code);
    }

    [Fact]
    public void TheDefaultDirectoryFollowsTheEnvironment()
    {
        var saved = (Environment.GetEnvironmentVariable("IRONWASM_CACHE_DIR"), Environment.GetEnvironmentVariable("XDG_CACHE_HOME"));
        try
        {
            Environment.SetEnvironmentVariable("IRONWASM_CACHE_DIR", "/tmp/explicit");
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/tmp/xdg");
            Assert.Equal("/tmp/explicit", Config.DefaultCompilationCacheDirectory);
            Environment.SetEnvironmentVariable("IRONWASM_CACHE_DIR", null);
            Assert.Equal(Path.Combine("/tmp/xdg", "ironwasm"), Config.DefaultCompilationCacheDirectory);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ironwasm"), Config.DefaultCompilationCacheDirectory);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IRONWASM_CACHE_DIR", saved.Item1);
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", saved.Item2);
        }
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x04;
        return copy;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }
}
