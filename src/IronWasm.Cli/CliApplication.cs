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

    public static int Run(string[] args, CliConsole console)
    {
        try
        {
            var root = CreateCommands(console);
            // No response files: a guest argument starting with '@' is the guest's, not a file to expand.
            var parse = root.Parse(SeparateGuestArguments(args), new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (parse.Action is ParseErrorAction)
            {
                var command = parse.CommandResult.Command;
                string help = command is RootCommand ? "ironwasm --help" : $"ironwasm {command.Name} --help";
                console.Err.WriteLine($"{Prefix}{ModuleFile.OneLine(parse.Errors[0].Message)} (see `{help}`)");
                return ExitCodes.Usage;
            }
            return parse.Invoke(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Err,
                EnableDefaultExceptionHandler = false,
            });
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

    private static RootCommand CreateCommands(CliConsole console)
    {
        var root = new RootCommand("IronWasm: run, validate and inspect WebAssembly modules.");
        root.Subcommands.Add(CreateRunCommand(console));

        var validateFile = FileArgument();
        var validate = new Command("validate", "Check that a module (.wasm or .wat) is well-formed and valid, without running it.") { validateFile };
        validate.SetAction(parse => ValidateCommand.Execute(parse.GetValue(validateFile)!, console));
        root.Subcommands.Add(validate);

        var inspectFile = FileArgument();
        var inspect = new Command("inspect", "Show a module's imports, exports, and sections with their sizes.") { inspectFile };
        inspect.SetAction(parse => InspectCommand.Execute(parse.GetValue(inspectFile)!, console));
        root.Subcommands.Add(inspect);
        return root;
    }

    private static Argument<string> FileArgument() => new("file") { Description = "A WebAssembly module: binary (.wasm) or text (.wat)." };

    private static Command CreateRunCommand(CliConsole console)
    {
        var file = FileArgument();
        var arguments = new Argument<string[]>("args")
        {
            Description = "Arguments for the guest (its argv after the file name), or for the --invoke export.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var directories = new Option<DirectoryMapping[]>("--dir")
        {
            Description = "Give the guest a host directory, read-write, as GUEST (default: HOST as written). Repeatable.",
            HelpName = "HOST[::GUEST]",
            CustomParser = r => ParseEach(r, "--dir", OptionValues.ParseDirectory),
        };
        var environment = new Option<KeyValuePair<string, string>[]>("--env")
        {
            Description = "Set an environment variable for the guest (it sees no other). Repeatable.",
            HelpName = "KEY=VALUE",
            CustomParser = r => ParseEach(r, "--env", OptionValues.ParseEnvironment),
        };
        var invoke = new Option<string>("--invoke")
        {
            Description = "Call this export instead of the command's _start: ARGS are its arguments, parsed by its parameter types; results are printed one per line.",
            HelpName = "EXPORT",
        };
        var fuel = new Option<long?>("--fuel")
        {
            Description = "Trap once the guest has used this much fuel (about one unit per instruction).",
            HelpName = "N",
            CustomParser = r => ParseOne(r, "--fuel", OptionValues.ParseFuel),
        };
        var maxMemory = new Option<long?>("--max-memory")
        {
            Description = "Limit each linear memory to SIZE (e.g. 64MiB, 1g); memory.grow beyond it returns -1.",
            HelpName = "SIZE",
            CustomParser = r => ParseOne(r, "--max-memory", OptionValues.ParseSize),
        };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = "Trap once the guest has run this long (e.g. 500ms, 2s, 1m).",
            HelpName = "DURATION",
            CustomParser = r => ParseOne(r, "--timeout", OptionValues.ParseDuration),
        };

        var run = new Command("run", "Run a WASI command (or call one export with --invoke). The exit status is the guest's; a trap exits with 134.")
        {
            file, arguments, directories, environment, invoke, fuel, maxMemory, timeout,
        };
        run.SetAction(parse => RunCommand.Execute(
            new RunOptions(parse.GetValue(file)!, parse.GetValue(arguments) ?? [])
            {
                Directories = parse.GetValue(directories) ?? [],
                Environment = parse.GetValue(environment) ?? [],
                Invoke = parse.GetValue(invoke),
                Fuel = parse.GetValue(fuel),
                MaxMemory = parse.GetValue(maxMemory),
                Timeout = parse.GetValue(timeout),
            },
            console));
        return run;
    }

    private delegate T? ValueParser<T>(string text, out string? error) where T : struct;

    private static T? ParseOne<T>(ArgumentResult result, string option, ValueParser<T> parser) where T : struct
    {
        var value = parser(result.Tokens[^1].Value, out var error);
        if (error is not null) result.AddError($"{option}: {error}");
        return value;
    }

    private static T[] ParseEach<T>(ArgumentResult result, string option, ValueParser<T> parser) where T : struct
    {
        var values = new List<T>();
        foreach (var token in result.Tokens)
        {
            var value = parser(token.Value, out var error);
            if (error is not null)
            {
                result.AddError($"{option}: {error}");
                return [];
            }
            values.Add(value!.Value);
        }
        return values.ToArray();
    }

    /// <summary>Everything after <c>run</c>'s FILE belongs to the guest, even what looks like an option
    /// (as with wasmtime): a <c>--</c> is inserted after FILE so the parser takes the rest as ARGS.
    /// Every option of <c>run</c> except help takes a value, which tells FILE apart from option values.</summary>
    internal static string[] SeparateGuestArguments(string[] args)
    {
        if (args.Length < 2 || args[0] != "run") return args;
        for (int i = 1; i < args.Length; i++)
        {
            string token = args[i];
            if (token == "--") return args;
            if (token.Length > 1 && token[0] == '-')
            {
                bool takesValue = token is not ("-h" or "-?" or "--help") && !token.Contains('=');
                if (takesValue) i++;
                continue;
            }
            if (i + 1 < args.Length && args[i + 1] == "--") return args;
            return [.. args[..(i + 1)], "--", .. args[(i + 1)..]];
        }
        return args;
    }
}
