namespace IronWasm.Cli.Tests.Cli;

public sealed class OptionValuesTests
{
    [Theory]
    [InlineData("65536", 65536L)]
    [InlineData("64k", 65536L)]
    [InlineData("64KiB", 65536L)]
    [InlineData("16MiB", 16L << 20)]
    [InlineData("1g", 1L << 30)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("0", 0L)]
    public void SizesUseBinaryUnits(string text, long bytes)
    {
        Assert.Equal(bytes, OptionValues.ParseSize(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("k")]
    [InlineData("-1")]
    [InlineData("12q")]
    [InlineData("99999999999T")]
    public void BadSizesAreRefused(string text)
    {
        Assert.Null(OptionValues.ParseSize(text, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("500ms", 500.0)]
    [InlineData("2s", 2000.0)]
    [InlineData("2", 2000.0)]
    [InlineData("1.5m", 90000.0)]
    [InlineData("1h", 3600000.0)]
    public void DurationsTakeAUnit(string text, double milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), OptionValues.ParseDuration(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2s")]
    [InlineData("2 fortnights")]
    [InlineData("ms")]
    public void BadDurationsAreRefused(string text)
    {
        Assert.Null(OptionValues.ParseDuration(text, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("data", "data", "data")]
    [InlineData("/srv/data::/data", "/srv/data", "/data")]
    [InlineData(".::/", ".", "/")]
    public void DirectoryGuestPathDefaultsToTheHostPath(string text, string host, string guest)
    {
        Assert.Equal(new DirectoryMapping(host, guest), OptionValues.ParseDirectory(text, out _));
    }

    [Fact]
    public void EnvironmentValueMayHoldEqualsSigns()
    {
        Assert.Equal(new KeyValuePair<string, string>("A", "b=c"), OptionValues.ParseEnvironment("A=b=c", out _));
    }

    [Fact]
    public void GuestArgumentsAfterTheFileAreNotParsedAsOptions()
    {
        var root = new System.CommandLine.RootCommand();
        var run = new System.CommandLine.Command("run");
        run.Options.Add(new System.CommandLine.Option<string>("--env"));
        root.Subcommands.Add(run);
        Assert.Equal(
            ["run", "--env", "A=1", "guest.wasm", "--", "--env", "-x"],
            CliApplication.SeparateGuestArguments(["run", "--env", "A=1", "guest.wasm", "--env", "-x"], run, root));
        Assert.Equal(
            ["run", "--env=A=1", "guest.wasm", "--", "a"],
            CliApplication.SeparateGuestArguments(["run", "--env=A=1", "guest.wasm", "a"], run, root));
    }
}
