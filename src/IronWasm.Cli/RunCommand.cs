using IronWasm.Wasi;

namespace IronWasm.Cli;

/// <summary>What <c>ironwasm run</c> was asked to do.</summary>
internal sealed record RunOptions(string File, IReadOnlyList<string> Arguments)
{
    public IReadOnlyList<DirectoryMapping> Directories { get; init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];
    /// <summary>The export to call instead of the command's <c>_start</c>, with <see cref="Arguments"/> as its arguments.</summary>
    public string? Invoke { get; init; }
    public long? Fuel { get; init; }
    public long? MaxMemory { get; init; }
    public TimeSpan? Timeout { get; init; }
    /// <summary>Compile without the compilation cache (<c>--no-cache</c>).</summary>
    public bool NoCache { get; init; }
    /// <summary>The cache directory (<c>--cache-dir</c>); null for the default.</summary>
    public string? CacheDirectory { get; init; }
    /// <summary>Run FILE even if it is a compiled module (<c>--allow-precompiled</c>).</summary>
    public bool AllowPrecompiled { get; init; }
    /// <summary>Say on stderr where the module's code came from (<c>--verbose</c>).</summary>
    public bool Verbose { get; init; }
}

/// <summary><c>ironwasm run</c>: runs a WASI command (or calls one export) with exactly the capabilities
/// the command line grants, and returns the guest's exit status.</summary>
internal static class RunCommand
{
    public static int Execute(RunOptions options, CliConsole console)
    {
        // Fuel and interruption change the generated code, so they are only enabled when asked for.
        var config = new Config();
        if (options.Fuel is not null) config.WithFuelConsumption(true);
        if (options.Timeout is not null) config.WithEpochInterruption(true);
        var engine = new Engine(CacheOptions.Apply(config, options));
        var module = CacheOptions.Load(engine, options, console);
        // A command importing hardware (guests/usb/lsusb.wasm) runs without a policy too: it is granted nothing.
        if (options.Invoke is null && HardwareCommandRun.IsCommand(module) && HardwareCommandRun.ImportsHardware(module))
            return HardwareCommandRun.Execute(engine, module, options, new(HardwareCommandRun.DefaultGuest, null, null, null), console);

        using var context = CreateWasiContext(options, console);
        using var store = new Store(engine);
        if (options.Fuel is { } fuel) store.Fuel = fuel;
        if (options.MaxMemory is { } maxMemory) store.SetLimits(memorySize: maxMemory);
        // Only the WASI functions the module imports: the linker serves this one module.
        var linker = new Linker(engine).DefineWasi(context, module);

        try
        {
            if (options.Timeout is { } timeout) store.SetDeadline(timeout);
            return options.Invoke is { } export
                ? InvokeExport(linker, store, module, export, options, console)
                : WasiCommand.Run(linker, store, module);
        }
        catch (ExitException exit)
        {
            return exit.ExitCode;
        }
        catch (WasmLinkException e)
        {
            throw new CliException(ExitCodes.BadModule, $"{options.File}: cannot instantiate: {ModuleFile.OneLine(e.Message)}");
        }
        catch (TrapException trap)
        {
            TrapReport.Write(console.Err, trap, options);
            return ExitCodes.Trap;
        }
    }

    internal static WasiContext CreateWasiContext(RunOptions options, CliConsole console)
    {
        // With --invoke the arguments belong to the export, so the guest's argv is just its name.
        var wasi = new WasiConfiguration().WithArgs(options.Invoke is null ? [options.File, .. options.Arguments] : [options.File]);
        foreach (var (key, value) in options.Environment) wasi.WithEnvironmentVariable(key, value);
        foreach (var directory in options.Directories)
        {
            if (!Directory.Exists(directory.HostPath))
                throw new CliException(ExitCodes.NoInput, $"--dir {directory.HostPath}: no such directory");
            wasi.WithPreopenedDirectory(directory.HostPath, directory.GuestPath);
        }
        if (console.Input is { } input) wasi.WithStandardInput(input); else wasi.WithInheritedStandardInput();
        if (console.Output is { } output) wasi.WithStandardOutput(output); else wasi.WithInheritedStandardOutput();
        if (console.Error is { } error) wasi.WithStandardError(error); else wasi.WithInheritedStandardError();
        try
        {
            return new WasiContext(wasi);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.NoInput, $"--dir: cannot open the directory: {ModuleFile.OneLine(e.Message)}");
        }
        catch (PlatformNotSupportedException e)
        {
            throw CliException.Usage($"--dir: {ModuleFile.OneLine(e.Message)}");
        }
    }

    /// <summary>Like wasmtime's --invoke: instantiates (running a reactor's <c>_initialize</c>, never a
    /// command's <c>_start</c>), calls the export with the parsed arguments and prints its results.</summary>
    private static int InvokeExport(Linker linker, Store store, Module module, string name, RunOptions options, CliConsole console)
    {
        var exported = module.Exports.FirstOrDefault(e => e.Name == name);
        if (exported is null)
            throw CliException.Usage($"{options.File}: no export named `{name}`{DescribeFunctionExports(module)}");
        if (exported.FunctionType is not { } type)
            throw CliException.Usage($"{options.File}: export `{name}` is a {exported.Kind.ToString().ToLowerInvariant()}, not a function");
        if (options.Arguments.Count != type.Parameters.Count)
            throw CliException.Usage($"`{name}` takes {type.Parameters.Count} argument{(type.Parameters.Count == 1 ? "" : "s")} {type}, but {options.Arguments.Count} {(options.Arguments.Count == 1 ? "was" : "were")} given");
        var arguments = new WasmValue[type.Parameters.Count];
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = InvokeValues.Parse(type.Parameters[i], options.Arguments[i], out var error);
            if (error is not null) throw CliException.Usage($"argument {i + 1} of `{name}`: {error}");
        }

        var instance = linker.Instantiate(store, module);
        if (name != "_initialize" && instance.GetFunction("_initialize") is { Type.Parameters.Count: 0, Type.Results.Count: 0 } initialize)
            initialize.Invoke(ReadOnlySpan<WasmValue>.Empty, Span<WasmValue>.Empty);
        var results = new WasmValue[type.Results.Count];
        instance.GetFunction(name)!.Invoke(arguments, results);
        foreach (var result in results) console.Out.WriteLine(InvokeValues.Format(result));
        return ExitCodes.Success;
    }

    private static string DescribeFunctionExports(Module module)
    {
        var functions = module.Exports.Where(e => e.Kind == ExternalKind.Function).Select(e => e.Name).ToList();
        return functions.Count == 0 ? " (it exports no functions)" : $" (its functions: {string.Join(", ", functions.Take(10))}{(functions.Count > 10 ? ", ..." : "")})";
    }
}
