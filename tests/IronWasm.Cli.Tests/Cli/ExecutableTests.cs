using System.Diagnostics;

namespace IronWasm.Cli.Tests.Cli;

/// <summary>The built command as a separate process: its real exit status, and the guest inheriting the
/// process's standard streams (which the in-process tests replace with captured ones).</summary>
public sealed class ExecutableTests
{
    private static GuestResult Run(string[] args, string standardInput = "")
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "IronWasm.Cli.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var copyErr = process.StandardError.BaseStream.CopyToAsync(stderr);
        process.StandardInput.Write(standardInput);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("ironwasm did not finish within 2 minutes");
        }
        Task.WaitAll(copyOut, copyErr);
        return new GuestResult(process.ExitCode, stdout.ToArray(), stderr.ToArray());
    }

    [Fact]
    public void HelloPrintsTheGreeting()
    {
        var result = Run(["run", GuestPaths.Hello]);
        Assert.Equal("", result.StandardError);
        Assert.Equal("Hello from WebAssembly!\n", result.StandardOutput);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void ExitStatusIsTheGuests()
    {
        var result = Run(["run", GuestPaths.TestProgram("exit_code")]);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("exiting with 3\n", result.StandardOutput);
    }

    [Fact]
    public void GuestReadsTheInheritedStdin()
    {
        var result = Run(["run", GuestPaths.TestProgram("stdin_echo")], "piped\ninput\n");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("PIPED\nINPUT\n", result.StandardOutput);
        Assert.Equal("read 12 bytes, 2 lines\n", result.StandardError);
    }

    [Fact]
    public void GuestWritesTheInheritedStdoutAndStderr()
    {
        var result = Run(["run", GuestPaths.TestProgram("stdio")]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("stdout: printf 42 text 2.50\nstdout: fputs\nstdout: write(1)\nstdout: utf-8 é€😀\n", result.StandardOutput);
        Assert.Equal("stderr: fputs\nstderr: fprintf beef\nstderr: write(2)\n", result.StandardError);
    }

    [Fact]
    public void TrapExitsWith134AndABacktrace()
    {
        var result = Run(["run", GuestPaths.TestProgram("trap")]);
        Assert.Equal(134, result.ExitCode);
        Assert.StartsWith("ironwasm: trap: unreachable [Unreachable]\nwasm backtrace:\n    0: $crash_in_guest\n", result.StandardError);
    }

    [Fact]
    public void BadInputIsOneLineWithoutAStackTrace()
    {
        var result = Run(["run", "missing.wasm"]);
        Assert.Equal(66, result.ExitCode);
        Assert.Equal("ironwasm: error: missing.wasm: cannot read the module: no such file\n", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }
}
