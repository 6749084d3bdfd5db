namespace IronWasm.Wasi.Native;

/// <summary>The process's own standard output or error, written with write(2) on the descriptor, as
/// the stream of <see cref="Console.OpenStandardOutput()"/> writes it. That stream sets up the
/// terminal on its first write (terminfo, signal handlers: about 5 ms, as much as the rest of running
/// a cached module that prints one line), which a guest writing bytes does not need. Like that
/// stream, and like a native program that ignores SIGPIPE, a write to a pipe whose reader has gone
/// (EPIPE) is dropped rather than failed. Not buffered: each write is one or more write(2) calls, so
/// the guest's stdout and stderr written to the same file stay in order.</summary>
internal sealed unsafe class HostOutputStream(int fd) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint written = Libc.write(fd, start + done, buffer.Length - done);
                if (written >= 0)
                {
                    done += (int)written;
                    continue;
                }
                int error = Libc.LastError;
                if (error == Libc.EINTR) continue;
                if (error == Libc.EPIPE) return;
                if (error == Libc.EAGAIN)
                {
                    // A non-blocking descriptor (set so by another process sharing it): wait until writable.
                    var poll = new Libc.PollFd { Fd = fd, Events = Libc.POLLOUT };
                    Libc.poll(&poll, 1, -1);
                    continue;
                }
                throw new IOException($"cannot write to descriptor {fd}: errno {error}");
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }
}
