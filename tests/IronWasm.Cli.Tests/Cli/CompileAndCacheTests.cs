using System.Text;

namespace IronWasm.Cli.Tests.Cli;

/// <summary><c>ironwasm compile</c>, running its output with <c>run --allow-precompiled</c>, and the
/// compilation cache <c>run</c> uses by default (<c>--verbose</c> says hit, miss or why rejected).</summary>
public sealed class CompileAndCacheTests : IDisposable
{
    /// <summary>(module (func (export "triple") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))).</summary>
    private static readonly byte[] Triple =
    [
        0, 0x61, 0x73, 0x6D, 1, 0, 0, 0,
        1, 6, 1, 0x60, 1, 0x7F, 1, 0x7F,
        3, 2, 1, 0,
        7, 10, 1, 6, (byte)'t', (byte)'r', (byte)'i', (byte)'p', (byte)'l', (byte)'e', 0, 0,
        10, 9, 1, 7, 0, 0x20, 0, 0x41, 3, 0x6C, 0x0B,
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("ironwasm-cli-cache-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { }
    }

    private string CacheDirectory => Path.Combine(_directory, "cache");

    private static (int ExitCode, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var console = CliConsole.FromStreams(new MemoryStream(), stdout, stderr);
        int exitCode = CliApplication.Run(args, console);
        return (exitCode, Encoding.UTF8.GetString(stdout.ToArray()).ReplaceLineEndings("\n"), Encoding.UTF8.GetString(stderr.ToArray()).ReplaceLineEndings("\n"));
    }

    private string WriteModule()
    {
        var path = Path.Combine(_directory, "triple.wasm");
        File.WriteAllBytes(path, Triple);
        return path;
    }

    [Fact]
    public void CompileWritesAFileThatRunsWithAllowPrecompiled()
    {
        var module = WriteModule();
        var output = Path.Combine(_directory, "triple.iwm");
        var compile = Cli("compile", module, "-o", output);
        Assert.Equal((0, ""), (compile.ExitCode, compile.Err));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(output)}: [0-9,]+ bytes of compiled code for .*triple\.wasm; run it with `ironwasm run --allow-precompiled .*triple\.iwm`\n$", compile.Out);
        Assert.True(Module.IsSerialized(File.ReadAllBytes(output)));

        var run = Cli("run", "--allow-precompiled", "--invoke", "triple", output, "14");
        Assert.Equal("", run.Err);
        Assert.Equal("42\n", run.Out);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public void CompileDefaultsTheOutputBesideTheModule()
    {
        var module = WriteModule();
        Assert.Equal(0, Cli("compile", module).ExitCode);
        Assert.True(File.Exists(Path.ChangeExtension(module, ".iwm")));
    }

    [Fact]
    public void ACommittedGuestRunsFromItsCompiledFile()
    {
        var output = Path.Combine(_directory, "hello.iwm");
        Assert.Equal(0, Cli("compile", GuestPaths.Hello, "-o", output).ExitCode);
        var run = Cli("run", "--allow-precompiled", output);
        Assert.Equal((0, "Hello from WebAssembly!\n", ""), run);
    }

    [NativeCodeFact]
    public void CompileNativeWritesAFileWithNativeCodeThatRuns()
    {
        var output = Path.Combine(_directory, "hello-native.iwm");
        var compile = Cli("compile", "--native", GuestPaths.Hello, "-o", output);
        Assert.Equal((0, ""), (compile.ExitCode, compile.Err));
        Assert.Contains("bytes of compiled and native code for", compile.Out);
        Assert.Equal((0, "Hello from WebAssembly!\n", ""), Cli("run", "--allow-precompiled", output));
        // Native code is added beside the IL: the file is larger than the IL-only one.
        var plain = Path.Combine(_directory, "hello.iwm");
        Assert.Equal(0, Cli("compile", GuestPaths.Hello, "-o", plain).ExitCode);
        Assert.True(new FileInfo(output).Length > new FileInfo(plain).Length);
    }

    [Fact]
    public void CompileNativeWithoutCrossgen2FailsAndSaysWhereItLooked()
    {
        var saved = Environment.GetEnvironmentVariable("IRONWASM_CROSSGEN2");
        try
        {
            Environment.SetEnvironmentVariable("IRONWASM_CROSSGEN2", Path.Combine(_directory, "no-crossgen2"));
            var output = Path.Combine(_directory, "triple.iwm");
            var compile = Cli("compile", "--native", WriteModule(), "-o", output);
            Assert.Equal(69, compile.ExitCode);
            Assert.Contains("cannot be compiled to native code: native code needs crossgen2", compile.Err);
            Assert.Contains(Path.Combine(_directory, "no-crossgen2"), compile.Err);
            Assert.False(File.Exists(output));
        }
        finally
        {
            Environment.SetEnvironmentVariable("IRONWASM_CROSSGEN2", saved);
        }
    }

    [Fact]
    public void ACompiledFileIsRefusedWithoutAllowPrecompiled()
    {
        var output = Path.Combine(_directory, "triple.iwm");
        Cli("compile", WriteModule(), "-o", output);
        var run = Cli("run", "--invoke", "triple", output, "1");
        Assert.Equal(ExitCodes.BadModule, run.ExitCode);
        Assert.Contains("is a compiled module", run.Err);
        Assert.Contains("--allow-precompiled", run.Err);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void ADamagedCompiledFileIsRefusedWithItsReason()
    {
        var output = Path.Combine(_directory, "triple.iwm");
        Cli("compile", WriteModule(), "-o", output);
        var bytes = File.ReadAllBytes(output);
        bytes[^10] ^= 1;
        File.WriteAllBytes(output, bytes);
        var run = Cli("run", "--allow-precompiled", "--invoke", "triple", output, "1");
        Assert.Equal(ExitCodes.BadModule, run.ExitCode);
        Assert.Contains("corrupted compiled module: checksum mismatch", run.Err);
        File.WriteAllBytes(output, bytes[..100]);
        Assert.Contains("truncated compiled module", Cli("run", "--allow-precompiled", output).Err);
    }

    [Fact]
    public void ACompiledFileMustMatchTheRunsFuelSetting()
    {
        var output = Path.Combine(_directory, "triple.iwm");
        Cli("compile", WriteModule(), "-o", output);
        var run = Cli("run", "--allow-precompiled", "--fuel", "1000", "--invoke", "triple", output, "1");
        Assert.Equal(ExitCodes.BadModule, run.ExitCode);
        Assert.Contains("compiled with another configuration", run.Err);
        Assert.Contains("compile --consume-fuel", run.Err);

        Assert.Equal(0, Cli("compile", "--consume-fuel", WriteModule(), "-o", output).ExitCode);
        Assert.Equal((0, "3\n", ""), Cli("run", "--allow-precompiled", "--fuel", "1000", "--invoke", "triple", output, "1"));
    }

    [Fact]
    public void CompilingAnInvalidModuleFails()
    {
        var path = Path.Combine(_directory, "bad.wat");
        File.WriteAllText(path, "(module (func (result i32)))");
        var compile = Cli("compile", path);
        Assert.Equal(ExitCodes.BadModule, compile.ExitCode);
        Assert.Contains("invalid module", compile.Err);
        Assert.False(File.Exists(Path.ChangeExtension(path, ".iwm")));
    }

    [Fact]
    public void CompilingToAnUnwritablePlaceFails()
    {
        var compile = Cli("compile", WriteModule(), "-o", Path.Combine(_directory, "missing", "out.iwm"));
        Assert.Equal(ExitCodes.CannotCreate, compile.ExitCode);
        Assert.Contains("cannot write the compiled module", compile.Err);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void CompileWillNotOverwriteItsInput()
    {
        var module = WriteModule();
        var compile = Cli("compile", module, "-o", module);
        Assert.Equal(ExitCodes.Usage, compile.ExitCode);
        Assert.Equal(Triple, File.ReadAllBytes(module));
    }

    [Fact]
    public void RunMissesThenHitsTheCache()
    {
        var module = WriteModule();
        var first = Cli("run", "--cache-dir", CacheDirectory, "--verbose", "--invoke", "triple", module, "5");
        Assert.Equal("15\n", first.Out);
        Assert.Matches(@"^ironwasm: cache miss \(no entry\); compiled and stored .*\.iwm\n$", first.Err);

        var second = Cli("run", "--cache-dir", CacheDirectory, "--verbose", "--invoke", "triple", module, "5");
        Assert.Equal("15\n", second.Out);
        Assert.Matches(@"^ironwasm: cache hit: .*\.iwm\n$", second.Err);
    }

    [Fact]
    public void RunRecompilesADamagedEntryAndSaysWhy()
    {
        var module = WriteModule();
        Cli("run", "--cache-dir", CacheDirectory, "--invoke", "triple", module, "5");
        var entry = Assert.Single(Directory.GetFiles(Path.Combine(CacheDirectory, "modules")));
        File.WriteAllBytes(entry, File.ReadAllBytes(entry)[..50]);

        var run = Cli("run", "--cache-dir", CacheDirectory, "--verbose", "--invoke", "triple", module, "5");
        Assert.Equal((0, "15\n"), (run.ExitCode, run.Out));
        Assert.StartsWith("ironwasm: cache entry rejected (truncated compiled module", run.Err);
        Assert.Contains("recompiled and stored", run.Err);
        Assert.StartsWith("ironwasm: cache hit", Cli("run", "--cache-dir", CacheDirectory, "--verbose", "--invoke", "triple", module, "5").Err);
    }

    [Fact]
    public void NoCacheNeitherReadsNorWrites()
    {
        var module = WriteModule();
        var run = Cli("run", "--no-cache", "--cache-dir", CacheDirectory, "--verbose", "--invoke", "triple", module, "2");
        Assert.Equal((0, "6\n", "ironwasm: cache off\n"), run);
        Assert.False(Directory.Exists(CacheDirectory));
    }

    /// <summary>Starts the built command as a process of its own, with IRONWASM_CACHE_DIR set.</summary>
    private System.Diagnostics.Process Spawn(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["exec", Path.Combine(AppContext.BaseDirectory, "IronWasm.Cli.dll"), .. args])
            start.ArgumentList.Add(arg);
        start.Environment["IRONWASM_CACHE_DIR"] = CacheDirectory;
        return System.Diagnostics.Process.Start(start)!;
    }

    private static (int ExitCode, string Out, string Err) Finish(System.Diagnostics.Process process)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "ironwasm did not finish within 2 minutes");
        return (process.ExitCode, output.Result.ReplaceLineEndings("\n"), error.Result.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TheCacheDirectoryComesFromTheEnvironmentByDefault()
    {
        // A process of its own: changing this process's environment would move other tests' caches.
        var (exitCode, output, error) = Finish(Spawn("run", "--verbose", "--invoke", "triple", WriteModule(), "4"));
        Assert.Equal((0, "12\n"), (exitCode, output));
        Assert.Contains(Path.Combine(CacheDirectory, "modules"), error);
        Assert.Single(Directory.GetFiles(Path.Combine(CacheDirectory, "modules")));
    }

    [Fact]
    public void ConcurrentProcessesLeaveOneValidEntry()
    {
        var module = WriteModule();
        var processes = Enumerable.Range(0, 4).Select(_ => Spawn("run", "--verbose", "--invoke", "triple", module, "5")).ToList();
        foreach (var process in processes)
        {
            var (exitCode, output, error) = Finish(process);
            Assert.Equal((0, "15\n"), (exitCode, output));
            Assert.Matches("^ironwasm: cache (miss|hit)", error);
            process.Dispose();
        }
        Assert.Single(Directory.GetFiles(Path.Combine(CacheDirectory, "modules")));
        Assert.StartsWith("ironwasm: cache hit", Finish(Spawn("run", "--verbose", "--invoke", "triple", module, "5")).Err);
    }

    [Fact]
    public void PlainRunsAcceptTheCacheFlagsBeforeTheFile()
    {
        var plain = CliApplication.PlainRunOptions(["run", "--no-cache", "--verbose", "m.wasm", "a"])!;
        Assert.Equal(("m.wasm", true, true, false), (plain.File, plain.NoCache, plain.Verbose, plain.AllowPrecompiled));
        Assert.Equal(["a"], plain.Arguments);
        var precompiled = CliApplication.PlainRunOptions(["run", "--allow-precompiled", "m.iwm"])!;
        Assert.Equal(("m.iwm", false, false, true), (precompiled.File, precompiled.NoCache, precompiled.Verbose, precompiled.AllowPrecompiled));
        Assert.Null(CliApplication.PlainRunOptions(["run", "--no-cache"]));
        Assert.Null(CliApplication.PlainRunOptions(["run", "--cache-dir", "x", "m.wasm"]));
    }

    [Fact]
    public void ThePlainShortcutAndTheParserAgreeOnCacheFlags()
    {
        string[] args = ["run", "--no-cache", "--allow-precompiled", "--verbose", "m.wasm", "--", "x"];
        RunOptions? parsed = null;
        var console = CliConsole.FromStreams(new MemoryStream(), new MemoryStream(), new MemoryStream());
        CliApplication.Run(args, console, options => { parsed = options; return 0; }, plainRunShortcut: false);
        var shortcut = CliApplication.PlainRunOptions(args)!;
        Assert.Equal((parsed!.File, parsed.NoCache, parsed.AllowPrecompiled, parsed.Verbose, parsed.CacheDirectory), (shortcut.File, shortcut.NoCache, shortcut.AllowPrecompiled, shortcut.Verbose, shortcut.CacheDirectory));
        Assert.Equal(parsed.Arguments, shortcut.Arguments);
    }

    [Fact]
    public void CacheSaysWhereTheCacheIsAndWhatItHolds()
    {
        var empty = Cli("cache", "--cache-dir", CacheDirectory);
        Assert.Equal((0, $"{CacheDirectory}: no compilation cache yet (the first `ironwasm run` of a module makes it)\n", ""), empty);

        var module = WriteModule();
        Assert.Equal(0, Cli("run", "--cache-dir", CacheDirectory, "--invoke", "triple", module, "2").ExitCode);
        var one = Cli("cache", "--cache-dir", CacheDirectory);
        Assert.Equal((0, ""), (one.ExitCode, one.Err));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(CacheDirectory)}: 1 compiled module, [0-9.]+ KiB \(trimmed to stay under 512 MiB\)\n$", one.Out);
    }

    [Fact]
    public void CacheClearDeletesTheCompiledModulesSoTheNextRunCompilesAgain()
    {
        var module = WriteModule();
        Assert.Equal(0, Cli("run", "--cache-dir", CacheDirectory, "--invoke", "triple", module, "2").ExitCode);

        var clear = Cli("cache", "clear", "--cache-dir", CacheDirectory);
        Assert.Equal((0, ""), (clear.ExitCode, clear.Err));
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(CacheDirectory)}: deleted 1 compiled module, [0-9.]+ KiB\n$", clear.Out);
        Assert.Empty(Directory.GetFiles(Path.Combine(CacheDirectory, "modules")));

        var again = Cli("run", "--cache-dir", CacheDirectory, "--verbose", "--invoke", "triple", module, "2");
        Assert.Contains("compiled and stored", again.Err);
        Assert.Equal("6\n", again.Out);
    }

    [Fact]
    public void CacheClearWithoutACacheDeletesNothing()
    {
        var clear = Cli("cache", "clear", "--cache-dir", CacheDirectory);
        Assert.Equal((0, $"{CacheDirectory}: no compilation cache, nothing to delete\n", ""), clear);
        Assert.False(Directory.Exists(CacheDirectory));
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KiB")]
    [InlineData(97_000, "95 KiB")]
    [InlineData(3_565_158, "3.4 MiB")]
    [InlineData(512L << 20, "512 MiB")]
    public void CacheSizesAreInBinaryUnits(long bytes, string expected) => Assert.Equal(expected, CacheCommand.Size(bytes));
}

/// <summary>A fact that needs crossgen2 for this runtime (what <c>compile --native</c> runs), skipped,
/// saying where the engine looked, when there is none. test.sh restores it first, so these run
/// wherever the suite does.</summary>
public sealed class NativeCodeFactAttribute : FactAttribute
{
    public NativeCodeFactAttribute()
    {
        if (Module.FindNativeCodeCompiler(out string searched) is null) Skip = $"crossgen2 not found ({searched}); ./test.sh restores it";
    }
}
