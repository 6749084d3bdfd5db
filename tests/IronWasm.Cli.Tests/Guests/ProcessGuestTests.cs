namespace IronWasm.Cli.Tests.Guests;

/// <summary>Arguments, environment and exit codes: the guest gets exactly what it is given.</summary>
public sealed class ProcessGuestTests
{
    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void ArgumentsArriveVerbatimAfterTheProgramName(GuestRunner runner)
    {
        var program = GuestPaths.TestProgram("args_env");
        var result = GuestRun.Run(runner, new GuestInvocation(program) { Arguments = ["plain", "with space", "-x", "--flag=1", "@not-a-response-file", "ünïcödé", ""] });
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(
            $"argc=8\nargv[0]={program}\nargv[1]=plain\nargv[2]=with space\nargv[3]=-x\nargv[4]=--flag=1\n" +
            "argv[5]=@not-a-response-file\nargv[6]=ünïcödé\nargv[7]=\n",
            result.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void EnvironmentHoldsOnlyTheGivenVariablesInOrder(GuestRunner runner)
    {
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("args_env"))
        {
            Environment = [("GREETING", "hello there"), ("EMPTY", ""), ("EQUALS", "a=b")],
        });
        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith(
            "env[0]=GREETING=hello there\nenv[1]=EMPTY=\nenv[2]=EQUALS=a=b\nenvc=3\n" +
            "getenv(GREETING)=hello there\ngetenv(HOME)=(unset)\n",
            result.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void HostEnvironmentIsNotInherited(GuestRunner runner)
    {
        Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PATH")), "the test needs PATH set on the host");
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("args_env")));
        Assert.Contains("\nenvc=0\n", result.StandardOutput);
        Assert.DoesNotContain("PATH=", result.StandardOutput);
    }

    [Theory]
    [InlineData(GuestRunner.Api, "exit", 3, "exiting with 3\n")]
    [InlineData(GuestRunner.Cli, "exit", 3, "exiting with 3\n")]
    [InlineData(GuestRunner.Api, "return", 5, "returning 5\n")]
    [InlineData(GuestRunner.Cli, "return", 5, "returning 5\n")]
    [InlineData(GuestRunner.Api, "proc_exit", 7, "proc_exit 7\n")]
    [InlineData(GuestRunner.Cli, "proc_exit", 7, "proc_exit 7\n")]
    [InlineData(GuestRunner.Api, "zero", 0, "exiting with 0\n")]
    [InlineData(GuestRunner.Cli, "zero", 0, "exiting with 0\n")]
    [InlineData(GuestRunner.Api, "deep", 9, "exiting from depth 0 with 9\n")]
    [InlineData(GuestRunner.Cli, "deep", 9, "exiting from depth 0 with 9\n")]
    public void ExitCodeIsTheGuests(GuestRunner runner, string mode, int exitCode, string output)
    {
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("exit_code")) { Arguments = [mode] });
        Assert.Null(result.Trap);
        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal(output, result.StandardOutput);
    }
}
