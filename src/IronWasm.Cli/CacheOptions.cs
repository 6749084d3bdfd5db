namespace IronWasm.Cli;

/// <summary>How <c>ironwasm run</c> gets a module's code: from the compilation cache (on unless
/// <c>--no-cache</c>; <c>--cache-dir</c> moves it), or from a file <c>ironwasm compile</c> wrote
/// (only with <c>--allow-precompiled</c>: its code runs outside the WebAssembly sandbox).</summary>
internal static class CacheOptions
{
    /// <summary>Turns the cache on in <paramref name="config"/> unless the options say not to.</summary>
    public static Config Apply(Config config, RunOptions options) =>
        options.NoCache ? config : config.WithCompilationCache(options.CacheDirectory);

    /// <summary>Loads FILE for <c>run</c>: a compiled module, or a binary or WAT module (through the cache
    /// when the engine has one). With <c>--verbose</c>, says on stderr where the code came from.</summary>
    public static Module Load(Engine engine, RunOptions options, CliConsole console)
    {
        string path = options.File;
        var bytes = ModuleFile.Read(path);
        if (!Module.IsSerialized(bytes))
        {
            var module = ModuleFile.Load(engine, path, bytes);
            if (options.Verbose) console.Err.WriteLine($"ironwasm: {module.CacheResult?.ToString() ?? "cache off"}");
            return module;
        }
        if (!options.AllowPrecompiled)
        {
            throw new CliException(ExitCodes.BadModule,
                $"{path}: is a compiled module, whose code runs outside the WebAssembly sandbox; run it with --allow-precompiled if you trust it");
        }
        try
        {
            var module = Module.Deserialize(engine, bytes);
            if (options.Verbose) console.Err.WriteLine($"ironwasm: compiled module {path} loaded (cache not used)");
            return module;
        }
        catch (SerializedModuleException e)
        {
            string hint = e.Error switch
            {
                SerializedModuleError.ConfigurationMismatch => " (`compile --consume-fuel` goes with `run --fuel`, `compile --epoch-interruption` with `run --timeout`)",
                SerializedModuleError.EngineMismatch or SerializedModuleError.UnsupportedFormat => " (compile it again with this ironwasm)",
                _ => "",
            };
            throw new CliException(ExitCodes.BadModule, $"{path}: {ModuleFile.OneLine(e.Message)}{hint}");
        }
    }
}
