namespace IronWasm.Tests.Caching;

/// <summary><see cref="CompilationCacheDirectory"/>: what a cache holds, and clearing it, which removes
/// the cache's own files and nothing else.</summary>
public sealed class CompilationCacheDirectoryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ironwasm-cache-dir-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }

    private string Modules => Path.Combine(_directory, "modules");

    private Module Load(int constant) =>
        Module.FromBytes(new Engine(new Config().WithCompilationCache(_directory)), "m",
            IronWasm.Text.WatParser.ParseModule($"(module (func (export \"f\") (result i32) (i32.const {constant})))"));

    [Fact]
    public void AbsentCacheHoldsNothingAndClearingItCreatesNothing()
    {
        var cache = new CompilationCacheDirectory(Path.Combine(_directory, "never-used"));
        Assert.False(cache.Exists);
        Assert.Equal(new CompilationCacheUsage(0, 0), cache.GetUsage());
        Assert.Equal(new CompilationCacheUsage(0, 0), cache.Clear());
        Assert.False(Directory.Exists(cache.Path));
    }

    [Fact]
    public void UsageCountsTheStoredModulesAndTheirBytes()
    {
        Load(1);
        Load(2);
        Load(2); // a hit stores nothing new
        var cache = new CompilationCacheDirectory(_directory);
        Assert.True(cache.Exists);
        long bytes = Directory.GetFiles(Modules).Sum(f => new FileInfo(f).Length);
        Assert.Equal(new CompilationCacheUsage(2, bytes), cache.GetUsage());
    }

    [Fact]
    public void ClearDeletesEveryCompiledModuleAndTheNextLoadCompilesAgain()
    {
        Load(1);
        Load(2);
        var cache = new CompilationCacheDirectory(_directory);
        var before = cache.GetUsage();

        Assert.Equal(before, cache.Clear());
        Assert.Equal(new CompilationCacheUsage(0, 0), cache.GetUsage());
        Assert.Equal(CompilationCacheStatus.Miss, Load(1).CacheResult!.Status);
        Assert.Equal(CompilationCacheStatus.Hit, Load(1).CacheResult!.Status);
    }

    [Fact]
    public void ClearRemovesWritersTemporaryFilesButNeverOtherFiles()
    {
        Load(1);
        string temporary = Path.Combine(Modules, "0123456789abcdef0123456789abcdef.iwm.42.abc.tmp");
        string strayInModules = Path.Combine(Modules, "notes.txt");
        string strayBeside = Path.Combine(_directory, "keep.iwm");
        File.WriteAllText(temporary, "half an entry");
        File.WriteAllText(strayInModules, "mine");
        File.WriteAllText(strayBeside, "mine too");

        var cleared = new CompilationCacheDirectory(_directory).Clear();

        Assert.Equal(1, cleared.Entries);
        Assert.False(File.Exists(temporary));
        Assert.True(File.Exists(strayInModules));
        Assert.True(File.Exists(strayBeside));
        Assert.Equal([strayInModules], Directory.GetFiles(Modules));
    }

    [Fact]
    public void TheDefaultIsTheDefaultCacheDirectory() =>
        Assert.Equal(Path.GetFullPath(Config.DefaultCompilationCacheDirectory), new CompilationCacheDirectory().Path);
}
