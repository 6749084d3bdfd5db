namespace IronWasm.Cli;

/// <summary><c>ironwasm validate</c>: decodes and validates a module (binary or WAT) without running it.</summary>
internal static class ValidateCommand
{
    public static int Execute(string path, CliConsole console)
    {
        // Loading decodes and validates; nothing is compiled until a function is called.
        ModuleFile.Load(new Engine(), path);
        console.Out.WriteLine($"{path}: valid");
        return ExitCodes.Success;
    }
}
