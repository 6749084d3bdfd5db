using System.Text;
using IronWasm.Wasi;

namespace IronWasm.Cli.Tests;

/// <summary>How a guest ended: its exit status (or the trap that ended it, on the API path) and all
/// it wrote.</summary>
internal sealed record GuestResult(int ExitCode, byte[] StandardOutputBytes, byte[] StandardErrorBytes, TrapException? Trap = null)
{
    public string StandardOutput => Encoding.UTF8.GetString(StandardOutputBytes).ReplaceLineEndings("\n");
    public string StandardError => Encoding.UTF8.GetString(StandardErrorBytes).ReplaceLineEndings("\n");

    /// <summary>The stdout line that starts with "<paramref name="label"/>: ", without the label.</summary>
    public string Line(string label)
    {
        var prefix = label + ": ";
        var line = StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no line `{prefix}...` in the output:\n{StandardOutput}");
        return line![prefix.Length..];
    }
}

/// <summary>What a guest is given for one run.</summary>
internal sealed record GuestInvocation(string Program)
{
    public string[] Arguments { get; init; } = [];
    public (string Key, string Value)[] Environment { get; init; } = [];
    /// <summary>(host, guest) preopened directories.</summary>
    public (string Host, string Guest)[] Directories { get; init; } = [];
    public byte[] StandardInput { get; init; } = [];
}

/// <summary>The ways every test program is run: through the WASI API, as a host application embeds
/// it; the same from a compiled module loaded as DynamicMethods (<see cref="CompiledCodeLoading.DynamicMethods"/>);
/// and through the <c>ironwasm run</c> command line (in process, with captured streams; compiled
/// modules loaded as assemblies).</summary>
public enum GuestRunner
{
    Api,
    ApiCompiledAsDynamicMethods,
    Cli,
}

internal static class GuestRun
{
    public static TheoryData<GuestRunner> Runners => new() { GuestRunner.Api, GuestRunner.ApiCompiledAsDynamicMethods, GuestRunner.Cli };

    public static GuestResult Run(GuestRunner runner, GuestInvocation invocation) => runner switch
    {
        GuestRunner.Api => RunThroughApi(invocation, compiled: false),
        GuestRunner.ApiCompiledAsDynamicMethods => RunThroughApi(invocation, compiled: true),
        _ => RunThroughCli(invocation),
    };

    private static GuestResult RunThroughApi(GuestInvocation invocation, bool compiled)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var configuration = new WasiConfiguration()
            .WithArgs([invocation.Program, .. invocation.Arguments])
            .WithStandardInput(new MemoryStream(invocation.StandardInput))
            .WithStandardOutput(stdout)
            .WithStandardError(stderr);
        foreach (var (key, value) in invocation.Environment) configuration.WithEnvironmentVariable(key, value);
        foreach (var (host, guest) in invocation.Directories) configuration.WithPreopenedDirectory(host, guest);

        var engine = compiled ? new Engine(new Config().WithCompiledCodeLoading(CompiledCodeLoading.DynamicMethods)) : new Engine();
        var module = Module.FromFile(engine, invocation.Program);
        if (compiled) module = Module.Deserialize(engine, module.Serialize());
        using var context = new WasiContext(configuration);
        using var store = new Store(engine);
        var linker = new Linker(engine).DefineWasi(context);
        try
        {
            int exitCode = WasiCommand.Run(linker, store, module);
            return new GuestResult(exitCode, stdout.ToArray(), stderr.ToArray());
        }
        catch (TrapException trap)
        {
            return new GuestResult(-1, stdout.ToArray(), stderr.ToArray(), trap);
        }
    }

    private static GuestResult RunThroughCli(GuestInvocation invocation)
    {
        var args = new List<string> { "run" };
        foreach (var (key, value) in invocation.Environment) args.AddRange(["--env", $"{key}={value}"]);
        foreach (var (host, guest) in invocation.Directories) args.AddRange(["--dir", $"{host}::{guest}"]);
        args.Add(invocation.Program);
        args.AddRange(invocation.Arguments);
        return CliRun.InProcess([.. args], invocation.StandardInput);
    }
}

/// <summary>Runs the <c>ironwasm</c> command line in this process with captured standard streams.</summary>
internal static class CliRun
{
    public static GuestResult InProcess(string[] args, byte[]? standardInput = null)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var console = CliConsole.FromStreams(new MemoryStream(standardInput ?? []), stdout, stderr);
        int exitCode = CliApplication.Run(args, console);
        return new GuestResult(exitCode, stdout.ToArray(), stderr.ToArray());
    }
}
