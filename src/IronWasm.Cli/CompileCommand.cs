using System.CommandLine;

namespace IronWasm.Cli;

/// <summary><c>ironwasm compile FILE [-o OUT] [--native]</c>: compiles a module ahead of time into a file that
/// <c>ironwasm run --allow-precompiled OUT</c> (or <see cref="Module.DeserializeFile"/>) loads without
/// decoding, validating or compiling it again. The file only works with this build of ironwasm and the
/// same code-shaping settings (fuel, epoch interruption) as the run.</summary>
internal static class CompileCommand
{
    /// <summary>The extension of compiled modules when <c>-o</c> is not given.</summary>
    public const string Extension = ".iwm";

    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "A WebAssembly module: binary (.wasm) or text (.wat)." };
        var output = new Option<string>("--output", "-o")
        {
            Description = $"Where to write the compiled module (default: FILE with the extension {Extension}).",
            HelpName = "OUT",
        };
        var fuel = new Option<bool>("--consume-fuel") { Arity = ArgumentArity.Zero, Description = "Compile in fuel accounting, for `run --fuel`." };
        var interruption = new Option<bool>("--epoch-interruption") { Arity = ArgumentArity.Zero, Description = "Compile in interruption checks, for `run --timeout`." };
        var native = new Option<bool>("--native")
        {
            Arity = ArgumentArity.Zero,
            Description = "Also compile to native code (ReadyToRun, with the .NET SDK's crossgen2; $IRONWASM_CROSSGEN2 names one): the module then starts without JIT compilation.",
        };
        var command = new Command("compile",
            "Compile a module ahead of time; `ironwasm run --allow-precompiled OUT` runs it without compiling. The file only works with this build of ironwasm.")
        {
            file, output, fuel, interruption, native,
        };
        command.SetAction(parse => Execute(parse.GetValue(file)!, parse.GetValue(output), parse.GetValue(fuel), parse.GetValue(interruption), parse.GetValue(native), console));
        return command;
    }

    public static int Execute(string path, string? output, bool consumeFuel, bool epochInterruption, bool native, CliConsole console)
    {
        var engine = new Engine(new Config().WithFuelConsumption(consumeFuel).WithEpochInterruption(epochInterruption));
        var module = ModuleFile.Load(engine, path);
        byte[] compiled;
        try
        {
            compiled = native ? module.SerializeWithNativeCode() : module.Serialize();
        }
        catch (PlatformNotSupportedException e)
        {
            throw new CliException(ExitCodes.Unavailable, $"{path}: cannot be compiled to native code: {ModuleFile.OneLine(e.Message)}");
        }
        catch (NotSupportedException e)
        {
            throw new CliException(ExitCodes.BadModule, $"{path}: cannot be compiled ahead of time: {ModuleFile.OneLine(e.Message)}");
        }
        output ??= Path.ChangeExtension(path, Extension);
        if (Path.GetFullPath(output) == Path.GetFullPath(path))
            throw CliException.Usage($"-o {output}: would overwrite the module itself");
        Write(output, compiled);
        console.Out.WriteLine($"{output}: {compiled.Length:N0} bytes of compiled {(native ? "and native " : "")}code for {path}; run it with `ironwasm run --allow-precompiled {output}`");
        return ExitCodes.Success;
    }

    /// <summary>Writes beside the target and renames into place, so OUT is never left half-written.</summary>
    private static void Write(string output, byte[] bytes)
    {
        string temporary = $"{output}.{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, output, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            string reason = e switch
            {
                DirectoryNotFoundException => "no such directory",
                UnauthorizedAccessException => "permission denied",
                _ => ModuleFile.OneLine(e.Message),
            };
            throw new CliException(ExitCodes.CannotCreate, $"-o {output}: cannot write the compiled module: {reason}");
        }
    }
}
