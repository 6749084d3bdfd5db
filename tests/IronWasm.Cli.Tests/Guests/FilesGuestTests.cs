namespace IronWasm.Cli.Tests.Guests;

/// <summary>guests/tests/files.c in a fresh preopened directory: its whole transcript is compared, so
/// every read, seek, stat, listing and errno is checked.</summary>
public sealed class FilesGuestTests
{
    private const string Transcript = """
        mkdir work: ok
        mkdir work again: EEXIST (20)
        create work/a.txt: ok
        write: 12
        close: ok
        create work/a.txt exclusively: EEXIST (20)
        read: 12 "hello, file"
        read at end: 0
        lseek set 7: 7
        read 4: 4 "file"
        lseek cur -2: 9
        lseek end 0: 12
        lseek before start: EINVAL (28)
        write to read-only fd: EBADF (8)
        fstat: ok
        fstat: size=12 regular=1
        append: 5
        work/a.txt = "hello, file\nmore\n" (17 bytes)
        pwrite at 0: 5
        pread at 7: 4 "file"
        offset after pread: 0
        work/a.txt = "HELLO, file\nmore\n" (17 bytes)
        ftruncate 5: ok
        work/a.txt = "HELLO" (5 bytes)
        stat after O_TRUNC: ok
        size after O_TRUNC: 0
        stat work: ok
        work is a directory: 1
        mkdir work/sub: ok
        ls work: a.txt b.txt sub/
        ls work/sub: inner.txt
        rename a.txt -> c.txt: ok
        stat a.txt after rename: ENOENT (44)
        rename sub -> moved: ok
        work/moved/inner.txt = "inner\n" (6 bytes)
        ls work: b.txt c.txt moved/
        open missing: ENOENT (44)
        open missing dir/file: ENOENT (44)
        rmdir non-empty: ENOTEMPTY (55)
        rmdir a file: ENOTDIR (54)
        open file as directory: ENOTDIR (54)
        opendir a file: ENOTDIR (54)
        unlink missing: ENOENT (44)
        unlink moved/inner.txt: ok
        rmdir moved: ok
        unlink b.txt: ok
        unlink c.txt: ok
        ls work:
        rmdir work: ok
        stat work after rmdir: ENOENT (44)
        failures: 0

        """;

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void FileAndDirectoryOperationsGiveTheExpectedTranscript(GuestRunner runner)
    {
        using var sandbox = new EscapeSandbox();
        var empty = Directory.CreateDirectory(Path.Combine(sandbox.Root, "empty")).FullName;
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("files"))
        {
            Arguments = ["/data"],
            Directories = [(empty, "/data")],
        });
        Assert.Equal(Transcript.ReplaceLineEndings("\n"), result.StandardOutput);
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void GuestSeesHostFilesAndCannotClobberThem(GuestRunner runner)
    {
        using var sandbox = new EscapeSandbox();
        var data = Directory.CreateDirectory(Path.Combine(sandbox.Root, "data")).FullName;
        // A host file where the program makes its work/ directory: mkdir fails, and so does the program.
        File.WriteAllText(Path.Combine(data, "work"), "host file\n");
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("files"))
        {
            Arguments = ["/data"],
            Directories = [(data, "/data")],
        });
        Assert.StartsWith("FAILED", result.Line("mkdir work"));
        Assert.Equal("EEXIST (20)", result.Line("mkdir work again"));
        Assert.Equal("host file\n", File.ReadAllText(Path.Combine(data, "work")));
        Assert.NotEqual(0, result.ExitCode);
    }
}
