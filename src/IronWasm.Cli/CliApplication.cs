using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace IronWasm.Cli;

/// <summary>The <c>ironwasm</c> command line: parses with System.CommandLine, runs the chosen command,
/// and turns every failure the user can fix into one line on stderr and an exit code from
/// <see cref="ExitCodes"/>, never a stack trace.</summary>
internal static class CliApplication
{
    private const string Prefix = "ironwasm: error: ";

    public static int Run(string[] args, CliConsole console) =>
        Run(args, console, options => RunCommand.Execute(options, console), plainRunShortcut: true);

    /// <summary>Runs the command line, with <paramref name="run"/> as <c>run</c>'s action (tests capture the
    /// options the parser produced). <paramref name="plainRunShortcut"/> lets <see cref="PlainRunOptions"/>
    /// answer the common <c>run FILE [ARGS]</c> without building the parser.</summary>
    internal static int Run(string[] args, CliConsole console, Func<RunOptions, int> run, bool plainRunShortcut)
    {
        try
        {
            bool deviceRun = DeviceRunCommand.IsDeviceRun(args);   // a device app takes options after APP too
            if (plainRunShortcut && !deviceRun && PlainRunOptions(args) is { } plain) return run(plain);
            return Parse(args, console, run, deviceRun);
        }
        catch (CliException e)
        {
            console.Err.WriteLine(Prefix + e.Message);
            return e.ExitCode;
        }
        catch (Exception e)
        {
            console.Err.WriteLine($"ironwasm: internal error: {e.GetType().Name}: {ModuleFile.OneLine(e.Message)}");
            return ExitCodes.Internal;
        }
    }

    /// <summary>Every command line but the plain <c>run FILE [ARGS]</c>: System.CommandLine's parser. A
    /// method of its own, so that a plain run never loads System.CommandLine (see PlainRunOptions).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int Parse(string[] args, CliConsole console, Func<RunOptions, int> run, bool deviceRun)
    {
        var root = CreateCommands(console, run);
        var runCommand = root.Subcommands.First(c => c.Name == "run");
        // No response files: a guest argument starting with '@' is the guest's, not a file to expand.
        var parse = root.Parse(deviceRun ? args : SeparateGuestArguments(args, runCommand, root), new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Action is ParseErrorAction)
        {
            var command = parse.CommandResult.Command;
            string help = command is RootCommand ? "ironwasm --help" : $"ironwasm {command.Name} --help";
            string message = parse.UnmatchedTokens.Count > 0
                ? $"unknown {(command is RootCommand ? "command" : "argument")} `{parse.UnmatchedTokens[0]}`"
                : parse.Errors[0].Message;
            console.Err.WriteLine($"{Prefix}{ModuleFile.OneLine(message)} (see `{help}`)");
            return ExitCodes.Usage;
        }
        return parse.Invoke(new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Err,
            EnableDefaultExceptionHandler = false,
        });
    }

    /// <summary>The options of <c>run [FLAGS] FILE [ARGS...]</c>, where FLAGS are only the value-less
    /// cache flags (<c>--no-cache</c>, <c>--allow-precompiled</c>, <c>--verbose</c>), the way ironwasm is
    /// mostly called; null for any other command line, which goes to the parser. The result is what the
    /// parser makes of the same words: everything after FILE is the guest's (after one optional
    /// <c>--</c>), no response files, no option or default to apply. Building System.CommandLine's command
    /// tree and parsing costs several milliseconds of a run that takes tens of them.</summary>
    internal static RunOptions? PlainRunOptions(string[] args)
    {
        if (args.Length < 2 || args[0] != "run") return null;
        bool noCache = false, allowPrecompiled = false, verbose = false;
        int file = 1;
        for (; file < args.Length; file++)
        {
            switch (args[file])
            {
                case "--no-cache": noCache = true; continue;
                case "--allow-precompiled": allowPrecompiled = true; continue;
                case "--verbose": verbose = true; continue;
            }
            break;
        }
        if (file >= args.Length || args[file].Length == 0 || args[file][0] == '-') return null;
        int first = args.Length > file + 1 && args[file + 1] == "--" ? file + 2 : file + 1;
        return new RunOptions(args[file], args[first..]) { NoCache = noCache, AllowPrecompiled = allowPrecompiled, Verbose = verbose };
    }

    private static RootCommand CreateCommands(CliConsole console, Func<RunOptions, int> runAction)
    {
        var root = new RootCommand("IronWasm: run, validate and inspect WebAssembly modules.") { HelpName = "ironwasm" };
        root.Subcommands.Add(CreateRunCommand(runAction, console));

        var validateFile = FileArgument();
        var validate = new Command("validate", "Check that a module (.wasm or .wat) is well-formed and valid, without running it.") { validateFile };
        validate.SetAction(parse => ValidateCommand.Execute(parse.GetValue(validateFile)!, console));
        root.Subcommands.Add(validate);

        var inspectFile = FileArgument();
        var inspect = new Command("inspect", "Show a module's imports, exports, and sections with their sizes.") { inspectFile };
        inspect.SetAction(parse => InspectCommand.Execute(parse.GetValue(inspectFile)!, console));
        root.Subcommands.Add(inspect);

        root.Subcommands.Add(CompileCommand.Create(console));
        root.Subcommands.Add(CacheCommand.Create(console));

        root.Subcommands.Add(DevicesCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        return root;
    }

    private static Argument<string> FileArgument() => new("file") { Description = "A WebAssembly module: binary (.wasm) or text (.wat)." };

    private static Command CreateRunCommand(Func<RunOptions, int> runAction, CliConsole console)
    {
        var file = FileArgument();
        var arguments = new Argument<string[]>("args")
        {
            Description = "Arguments for the guest (its argv after the file name), or for the --invoke export.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        // Every option is a string checked by a validator and parsed in the action: an Option<long?> or
        // Option<TimeSpan?> would make the JIT compile System.CommandLine's generics for that value type
        // at every start (ReadyToRun code covers only the shared, reference-type instantiations there).
        var directories = CheckedEach(new Option<string[]>("--dir")
        {
            Description = "Give the guest a host directory, read-write, as GUEST (default: HOST as written). Repeatable.",
            HelpName = "HOST[::GUEST]",
        }, OptionValues.ParseDirectory);
        var environment = CheckedEach(new Option<string[]>("--env")
        {
            Description = "Set an environment variable for the guest (it sees no other). Repeatable.",
            HelpName = "KEY=VALUE",
        }, OptionValues.ParseEnvironment);
        var invoke = new Option<string>("--invoke")
        {
            Description = "Call this export instead of the command's _start: ARGS are its arguments, parsed by its parameter types; results are printed one per line.",
            HelpName = "EXPORT",
        };
        var fuel = Checked(new Option<string>("--fuel")
        {
            Description = "Trap once the guest has used this much fuel (about one unit per instruction).",
            HelpName = "N",
        }, OptionValues.ParseFuel);
        var maxMemory = Checked(new Option<string>("--max-memory")
        {
            Description = "Limit each linear memory to SIZE (e.g. 64MiB, 1g); memory.grow beyond it returns -1.",
            HelpName = "SIZE",
        }, OptionValues.ParseSize);
        var timeout = Checked(new Option<string>("--timeout")
        {
            Description = "Trap once the guest has run this long (e.g. 500ms, 2s, 1m).",
            HelpName = "DURATION",
        }, OptionValues.ParseDuration);

        var noCache = new Option<bool>("--no-cache") { Arity = ArgumentArity.Zero, Description = "Compile the module without the compilation cache (neither read nor write it)." };
        var cacheDirectory = new Option<string>("--cache-dir")
        {
            Description = "The compilation cache's directory (default: $IRONWASM_CACHE_DIR, $XDG_CACHE_HOME/ironwasm or ~/.cache/ironwasm).",
            HelpName = "DIR",
        };
        var allowPrecompiled = new Option<bool>("--allow-precompiled")
        {
            Arity = ArgumentArity.Zero,
            Description = "Allow FILE (and a device app's --driver files) to be modules compiled by `ironwasm compile`: their code runs outside the WebAssembly sandbox, so only for files you trust.",
        };
        var verbose = new Option<bool>("--verbose") { Arity = ArgumentArity.Zero, Description = "Say on stderr where the module's code came from (cache hit, miss and why)." };

        var run = new Command("run", "Run a WASI command (or call one export with --invoke). The exit status is the guest's; a trap exits with 134.")
        {
            file, arguments, directories, environment, invoke, fuel, maxMemory, timeout, noCache, cacheDirectory, allowPrecompiled, verbose,
        };
        var devices = DeviceRunCommand.AddOptions(run);
        run.SetAction(parse => devices.IsRequested(parse) ? devices.Execute(parse, console) : runAction(
            new RunOptions(parse.GetValue(file)!, parse.GetValue(arguments) ?? [])
            {
                Directories = Values(parse, directories, text => OptionValues.ParseDirectory(text, out _)!),
                Environment = Values(parse, environment, text => OptionValues.ParseEnvironment(text, out _)!.Value),
                Invoke = parse.GetValue(invoke),
                Fuel = Value(parse, fuel, OptionValues.ParseFuel),
                MaxMemory = Value(parse, maxMemory, OptionValues.ParseSize),
                Timeout = Value(parse, timeout, OptionValues.ParseDuration),
                NoCache = parse.GetValue(noCache),
                CacheDirectory = parse.GetValue(cacheDirectory),
                AllowPrecompiled = parse.GetValue(allowPrecompiled),
                Verbose = parse.GetValue(verbose),
            }));
        return run;
    }

    private delegate T? ValueParser<T>(string text, out string? error);

    private static Option<string> Checked<T>(Option<string> option, ValueParser<T> parser)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count > 0) Check(result, option.Name, result.Tokens[^1].Value, parser);
        });
        return option;
    }

    private static Option<string[]> CheckedEach<T>(Option<string[]> option, ValueParser<T> parser)
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (!Check(result, option.Name, token.Value, parser)) return;
        });
        return option;
    }

    private static bool Check<T>(OptionResult result, string name, string text, ValueParser<T> parser)
    {
        parser(text, out var error);
        if (error is null) return true;
        result.AddError($"{name}: {error}");
        return false;
    }

    // Only called after the validators accepted every value.
    private static T? Value<T>(ParseResult parse, Option<string> option, ValueParser<T> parser) =>
        parse.GetValue(option) is { } text ? parser(text, out _) : default;

    private static List<T> Values<T>(ParseResult parse, Option<string[]> option, Func<string, T> parseOne) =>
        (parse.GetValue(option) ?? []).Select(parseOne).ToList();

    /// <summary>Everything after <c>run</c>'s FILE belongs to the guest, even what looks like an option
    /// (as with wasmtime): a <c>--</c> is inserted after FILE so the parser takes the rest as ARGS. FILE is
    /// the first word that is neither an option of <paramref name="run"/> (or a recursive one of
    /// <paramref name="root"/>, like --help) nor the value of one.</summary>
    internal static string[] SeparateGuestArguments(string[] args, Command run, RootCommand root)
    {
        if (args.Length < 2 || args[0] != run.Name) return args;
        for (int i = 1; i < args.Length; i++)
        {
            string token = args[i];
            if (token == "--") return args;
            if (token.Length > 1 && token[0] == '-')
            {
                int equals = token.IndexOf('=');
                string name = equals < 0 ? token : token[..equals];
                var option = run.Options.Concat(root.Options.Where(o => o.Recursive)).FirstOrDefault(o => o.Name == name || o.Aliases.Contains(name))
                    ?? throw CliException.Usage($"unknown option `{name}` for run (see `ironwasm run --help`); options go before FILE, guest arguments after it");
                if (equals < 0 && option.Arity.MaximumNumberOfValues > 0) i++;
                continue;
            }
            if (i + 1 < args.Length && args[i + 1] == "--") return args;
            return [.. args[..(i + 1)], "--", .. args[(i + 1)..]];
        }
        return args;
    }
}
