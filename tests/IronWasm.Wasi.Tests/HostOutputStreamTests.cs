using System.IO.Pipes;
using IronWasm.Wasi.Native;

namespace IronWasm.Wasi.Tests;

/// <summary>The guest's inherited stdout and stderr are written with write(2) on the process's own
/// descriptors (<see cref="HostOutputStream"/>), on 64-bit Linux.</summary>
public sealed class HostOutputStreamTests
{
    [Fact]
    public void WritesSharingOneFileKeepTheirOrder()
    {
        // `ironwasm run x > out 2>&1`: stdout and stderr share one open file, and so its offset; each
        // write must land after the previous one, whichever stream made it.
        if (!Libc.IsSupported) return;
        var path = Path.GetTempFileName();
        try
        {
            using (var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write))
            {
                int fd = (int)handle.DangerousGetHandle();
                using var stdout = new HostOutputStream(fd);
                using var stderr = new HostOutputStream(fd);
                stdout.Write("out 1\n"u8);
                stderr.Write("err 1\n"u8);
                stdout.Write(ReadOnlySpan<byte>.Empty);
                stdout.Write("out 2\n"u8.ToArray(), 0, 6);
                stderr.Write("err 2\n"u8);
            }
            Assert.Equal("out 1\nerr 1\nout 2\nerr 2\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ALargeWriteToAPipeArrivesWhole()
    {
        // A pipe takes 64 KiB at a time: the rest must follow as the reader drains it.
        if (!Libc.IsSupported) return;
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var data = new byte[1 << 20];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 31 + (i >> 11));
        var received = new MemoryStream();
        var reader = Task.Run(() => client.CopyTo(received));
        using (var stream = new HostOutputStream((int)server.SafePipeHandle.DangerousGetHandle())) stream.Write(data);
        server.Dispose();
        Assert.True(reader.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(data, received.ToArray());
    }

    [Fact]
    public void AWriteToAPipeNobodyReadsIsDropped()
    {
        // `ironwasm run x | head -1`: once the reader exits, the guest's writes vanish, as they did
        // through the console's stream, instead of failing.
        if (!Libc.IsSupported) return;
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        server.DisposeLocalCopyOfClientHandle();
        using var stream = new HostOutputStream((int)server.SafePipeHandle.DangerousGetHandle());
        stream.Write("nobody reads this\n"u8);
        stream.Flush();
        Assert.False(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.Throws<NotSupportedException>(() => stream.Position);
    }
}
