namespace IronWasm.Cli.Tests.Cli;

public sealed class DemoTests
{
    [Fact]
    public void DemoRunsEveryStepOnBuiltInGuestsAndSucceeds()
    {
        var result = CliRun.InProcess(["demo"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardError);
        var output = result.StandardOutput;
        Assert.Contains("Hello from WebAssembly!\n", output);
        Assert.Contains("sim-thermometer v1, probe 0\n", output);
        Assert.Contains("1: 21.50 C (ch0)\n", output);
        Assert.Contains("sim-thermometer v2, probe 0\n", output);
        Assert.Contains("1: 70.25 F (v2/probe-0)\n", output);
        Assert.Contains("trap: all fuel consumed [OutOfFuel]", output);
        Assert.Contains("trap: call stack exhausted [StackOverflow]", output);
    }

    [Fact]
    public void TheSwappedDriverAnswersAfterTheFirstOne()
    {
        var output = CliRun.InProcess(["demo"]).StandardOutput;

        Assert.True(output.IndexOf("sim-thermometer v1", StringComparison.Ordinal) < output.IndexOf("sim-thermometer v2", StringComparison.Ordinal));
    }
}
