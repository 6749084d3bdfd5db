namespace IronWasm.Cli.Tests.Guests;

public sealed class StdioGuestTests
{
    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void HelloPrintsTheGreeting(GuestRunner runner)
    {
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.Hello));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Hello from WebAssembly!\n", result.StandardOutput);
        Assert.Equal("", result.StandardError);
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void StdoutReceivesBufferedAndRawWritesInOrder(GuestRunner runner)
    {
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("stdio")));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "stdout: printf 42 text 2.50\n" +
            "stdout: fputs\n" +
            "stdout: write(1)\n" +
            "stdout: utf-8 é€😀\n",
            result.StandardOutput);
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void StderrIsSeparateFromStdout(GuestRunner runner)
    {
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("stdio")));
        Assert.Equal("stderr: fputs\nstderr: fprintf beef\nstderr: write(2)\n", result.StandardError);
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void StdinIsReadToItsEnd(GuestRunner runner)
    {
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("stdin_echo"))
        {
            StandardInput = "hello\nworld\nthird line without newline"u8.ToArray(),
        });
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("HELLO\nWORLD\nTHIRD LINE WITHOUT NEWLINE", result.StandardOutput);
        Assert.Equal("read 38 bytes, 2 lines\n", result.StandardError);
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void EmptyStdinReadsAsEndOfFile(GuestRunner runner)
    {
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("stdin_echo")));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal("read 0 bytes, 0 lines\n", result.StandardError);
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void LargeStdinPassesThroughWhole(GuestRunner runner)
    {
        var input = new byte[300_000];
        for (int i = 0; i < input.Length; i++) input[i] = (byte)(i % 100 == 99 ? '\n' : 'a' + i % 26);
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("stdin_echo")) { StandardInput = input });
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(System.Text.Encoding.ASCII.GetString(input).ToUpperInvariant(), result.StandardOutput);
        Assert.Equal("read 300000 bytes, 3000 lines\n", result.StandardError);
    }

    [Theory]
    [MemberData(nameof(GuestRun.Runners), MemberType = typeof(GuestRun))]
    public void OneMebibyteOfOutputArrivesIntact(GuestRunner runner)
    {
        var result = GuestRun.Run(runner, new GuestInvocation(GuestPaths.TestProgram("large_output")));
        Assert.Equal(0, result.ExitCode);
        // The same pattern as large_output.c, made here independently of the guest.
        var expected = new byte[1 << 20];
        for (int i = 0; i < expected.Length; i++) expected[i] = i % 64 == 63 ? (byte)'\n' : (byte)('a' + (i * 7 + i / 64) % 26);
        Assert.Equal(expected.Length, result.StandardOutputBytes.Length);
        Assert.True(expected.AsSpan().SequenceEqual(result.StandardOutputBytes), "stdout differs from the expected pattern");
        Assert.Equal($"wrote 1048576 bytes, fnv1a {Fnv1a(expected):x8}\n", result.StandardError);
    }

    private static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        uint hash = 2166136261;
        foreach (var b in bytes) hash = (hash ^ b) * 16777619;
        return hash;
    }
}
