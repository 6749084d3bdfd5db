namespace IronWasm.Cli.Tests.Guests;

/// <summary>Clocks, random bytes and poll_oneoff: the programs check the properties themselves (times
/// and random bytes differ run to run) and print ok or FAILED for each.</summary>
public sealed class SystemGuestTests
{
    public static TheoryData<GuestRunner, string, string> Checks()
    {
        var checks = new (string Program, string Label)[]
        {
            ("clocks", "monotonic readable"),
            ("clocks", "monotonic never goes back"),
            ("clocks", "monotonic advances"),
            ("clocks", "realtime is a plausible date"),
            ("clocks", "time() agrees with realtime"),
            ("clocks", "monotonic resolution positive"),
            ("clocks", "realtime resolution positive"),
            ("clocks", "raw clock_time_get monotonic"),
            ("random", "getentropy first"),
            ("random", "getentropy second"),
            ("random", "not all zero"),
            ("random", "differs between calls"),
            ("random", "random_get 64 KiB"),
            ("random", "every byte value appears"),
            ("random", "no byte value dominates"),
            ("random", "random_get of zero bytes"),
            ("poll", "nanosleep 50ms returns 0"),
            ("poll", "nanosleep slept >= 50ms"),
            ("poll", "usleep 20ms returns 0"),
            ("poll", "usleep slept >= 20ms"),
            ("poll", "poll(no fds, 30ms) times out"),
            ("poll", "poll slept >= 30ms"),
            ("poll", "poll_oneoff two clocks"),
            ("poll", "waited >= 10ms"),
            ("poll", "poll_oneoff absolute clock"),
            ("poll", "absolute deadline reached"),
            ("poll", "poll_oneoff stdout writable"),
            ("poll", "fd_write event delivered"),
            ("poll", "no wait for the timeout"),
        };
        var data = new TheoryData<GuestRunner, string, string>();
        foreach (var runner in Enum.GetValues<GuestRunner>())
            foreach (var (program, label) in checks) data.Add(runner, program, label);
        return data;
    }

    private static readonly Dictionary<(GuestRunner, string), Lazy<GuestResult>> Results = new();

    // Each program runs once per runner; every check reads its line from that run.
    private static GuestResult RunOnce(GuestRunner runner, string program)
    {
        Lazy<GuestResult> result;
        lock (Results)
        {
            if (!Results.TryGetValue((runner, program), out result!))
                Results[(runner, program)] = result = new Lazy<GuestResult>(() => GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram(program))));
        }
        return result.Value;
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public void CheckPasses(GuestRunner runner, string program, string check)
    {
        Assert.Equal("ok", RunOnce(runner, program).Line(check));
    }

    [Theory]
    [InlineData(GuestRunner.Api, "clocks")]
    [InlineData(GuestRunner.Cli, "clocks")]
    [InlineData(GuestRunner.Api, "random")]
    [InlineData(GuestRunner.Cli, "random")]
    [InlineData(GuestRunner.Api, "poll")]
    [InlineData(GuestRunner.Cli, "poll")]
    public void ProgramReportsNoFailuresAndExitsZero(GuestRunner runner, string program)
    {
        var result = RunOnce(runner, program);
        Assert.Equal("0", result.Line("failures"));
        Assert.Equal(0, result.ExitCode);
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void UnknownClockIsInvalid(GuestRunner runner)
    {
        Assert.Equal("EINVAL (28)", RunOnce(runner, "clocks").Line("clock_time_get unknown clock"));
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void TwoClocksFireTheEarlierOnly(GuestRunner runner)
    {
        Assert.Equal("1, first userdata: 10, error: 0, type clock: 1", RunOnce(runner, "poll").Line("events"));
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void PollOnABadDescriptorReportsEbadfInTheEvent(GuestRunner runner)
    {
        Assert.Equal("call SUCCESS, event EBADF: 1", RunOnce(runner, "poll").Line("poll_oneoff bad fd"));
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void PollWithNoSubscriptionsIsInvalid(GuestRunner runner)
    {
        Assert.Equal("EINVAL (28)", RunOnce(runner, "poll").Line("poll_oneoff no subscriptions"));
    }
}
