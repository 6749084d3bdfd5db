namespace IronWasm.Cli.Tests.Guests;

/// <summary>Runs guests/tests/escape.wasm once per runner in a fresh <see cref="EscapeSandbox"/>, and
/// records the sandbox and the outside directory before and after.</summary>
public sealed class EscapeGuestFixture : IDisposable
{
    private readonly Dictionary<GuestRunner, Lazy<Outcome>> _outcomes = new();
    private readonly List<EscapeSandbox> _sandboxes = [];

    internal sealed record Outcome(GuestResult Result, string[] SandboxBefore, string[] SandboxAfter, string[] OutsideBefore, string[] OutsideAfter);

    public EscapeGuestFixture()
    {
        foreach (var runner in Enum.GetValues<GuestRunner>()) _outcomes[runner] = new Lazy<Outcome>(() => Run(runner));
    }

    internal Outcome For(GuestRunner runner) => _outcomes[runner].Value;

    private Outcome Run(GuestRunner runner)
    {
        var sandbox = new EscapeSandbox();
        lock (_sandboxes) _sandboxes.Add(sandbox);
        var sandboxBefore = EscapeSandbox.Snapshot(sandbox.SandboxPath);
        var outsideBefore = EscapeSandbox.Snapshot(sandbox.OutsidePath);
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("escape"))
        {
            Arguments = ["/sandbox"],
            Directories = [(sandbox.SandboxPath, "/sandbox")],
        });
        return new Outcome(result, sandboxBefore, EscapeSandbox.Snapshot(sandbox.SandboxPath), outsideBefore, EscapeSandbox.Snapshot(sandbox.OutsidePath));
    }

    public void Dispose()
    {
        foreach (var sandbox in _sandboxes) sandbox.Dispose();
    }
}

/// <summary>Every way out of a preopened directory fails with the errno WASI prescribes for a missing
/// capability (ENOTCAPABLE, 76), or ELOOP for symbolic link loops, through the API and the CLI alike;
/// the controls that stay inside succeed; and nothing outside the sandbox is read, made or changed.</summary>
public sealed class EscapeGuestTests(EscapeGuestFixture fixture) : IClassFixture<EscapeGuestFixture>
{
    private const string Success = "SUCCESS (0)";
    private const string NotCapable = "ENOTCAPABLE (76)";

    public static TheoryData<GuestRunner, string, string> Attempts()
    {
        var attempts = new (string Label, string Expected)[]
        {
            // Controls: inside the preopen, and must work.
            ("open inside.txt", Success),
            ("open ./inside.txt", Success),
            ("open sub/../inside.txt", Success),
            ("open link-in", Success),
            ("open . as directory", Success),
            ("open sub as directory", Success),
            // Dot-dot.
            ("open .. as directory", NotCapable),
            ("open ../outside/secret.txt", NotCapable),
            ("open sub/../../outside/secret.txt", NotCapable),
            ("open sub/../sub/../../outside/secret.txt", NotCapable),
            ("open ./../outside/secret.txt", NotCapable),
            // Absolute paths.
            ("open /etc/passwd", NotCapable),
            ("open / as directory", NotCapable),
            // Symbolic links out: absolute, relative, a directory link mid-path, a chain of three.
            ("open link-out", NotCapable),
            ("open link-rel-out", NotCapable),
            ("open link-dir-out/secret.txt", NotCapable),
            ("open link-dir-out as directory", NotCapable),
            ("open chain-1", NotCapable),
            ("open loop-a", "ELOOP (32)"),
            ("open link-out without following", "ELOOP (32)"),
            // A directory descriptor is rooted at itself.
            ("from sub: open ../inside.txt", NotCapable),
            ("from sub: open ../../outside/secret.txt", NotCapable),
            // Every other path operation.
            ("path_filestat_get ..", NotCapable),
            ("path_filestat_get ../outside/secret.txt", NotCapable),
            ("path_filestat_get link-out (following)", NotCapable),
            ("path_create_directory ../made", NotCapable),
            ("path_create_directory /tmp/made", NotCapable),
            ("path_create_directory link-dir-out/made", NotCapable),
            ("path_rename inside.txt -> ../outside/stolen.txt", NotCapable),
            ("path_rename ../outside/secret.txt -> taken.txt", NotCapable),
            ("path_link ../outside/secret.txt -> hard.txt", NotCapable),
            ("path_unlink_file ../outside/secret.txt", NotCapable),
            ("path_unlink_file link-dir-out/secret.txt", NotCapable),
            ("path_remove_directory ../outside", NotCapable),
            ("path_readlink ../outside/secret.txt", NotCapable),
            ("path_symlink in ../outside", NotCapable),
            ("path_filestat_set_times ../outside/secret.txt", NotCapable),
            ("path_symlink made-link -> ../outside/secret.txt", NotCapable),
            ("open made-link", "ENOENT (44)"),
            // Descriptors never given.
            ("open via fd 99", "EBADF (8)"),
            ("fd_close on fd 99", "EBADF (8)"),
        };
        var data = new TheoryData<GuestRunner, string, string>();
        foreach (var runner in Enum.GetValues<GuestRunner>())
            foreach (var (label, expected) in attempts) data.Add(runner, label, expected);
        return data;
    }

    [Theory]
    [MemberData(nameof(Attempts))]
    public void AttemptGetsTheExpectedErrno(GuestRunner runner, string attempt, string expected)
    {
        Assert.Equal(expected, fixture.For(runner).Result.Line(attempt));
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void EscapeProgramRunsToTheEndAndExitsZero(GuestRunner runner)
    {
        var result = fixture.For(runner).Result;
        Assert.Null(result.Trap);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("ENOTCAPABLE", result.Line("libc fopen /etc/passwd"));
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void EveryAttemptInTheProgramIsChecked(GuestRunner runner)
    {
        var labels = fixture.For(runner).Result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line[..line.LastIndexOf(": ", StringComparison.Ordinal)]);
        var checkedLabels = Attempts().Select(row => (string)row[1]).Append("libc fopen /etc/passwd");
        Assert.Empty(labels.Except(checkedLabels));
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void NothingOutsideTheSandboxChanges(GuestRunner runner)
    {
        var outcome = fixture.For(runner);
        Assert.Equal(outcome.OutsideBefore, outcome.OutsideAfter);
        Assert.Equal(["secret.txt (7 bytes)"], outcome.OutsideAfter);
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void NothingInsideTheSandboxIsLeftBehind(GuestRunner runner)
    {
        var outcome = fixture.For(runner);
        Assert.Equal(outcome.SandboxBefore, outcome.SandboxAfter);
    }
}
