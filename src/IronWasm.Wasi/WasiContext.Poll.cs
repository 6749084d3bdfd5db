using System.Buffers.Binary;
using IronWasm.Wasi.Native;

namespace IronWasm.Wasi;

// poll_oneoff and the sock_* functions.
public sealed partial class WasiContext
{
    private const int SubscriptionSize = 48, EventSize = 32;

    /// <summary>More subscriptions than this in one call is EINVAL: the host's bookkeeping for a call
    /// must not grow with whatever a guest asks for.</summary>
    internal const int MaxSubscriptions = 65536;

    private struct Subscription
    {
        public ulong UserData;
        public EventType Type;
        public ulong Deadline;       // clock: monotonic nanoseconds
        public int HostFd;           // fd_read on an inherited stream: the host descriptor to poll(2)
        public Errno Error;
        public ulong Bytes;
        public bool Ready;
    }

    internal int PollOneoff(Caller caller, int input, int output, int count, int eventCountPointer)
    {
        try
        {
            if (count == 0) throw new WasiError(Errno.Inval);
            if ((uint)count > MaxSubscriptions) throw new WasiError(Errno.Inval);
            var memory = GuestMemory.Of(caller);
            var inBytes = memory.Slice((uint)input, (uint)count * SubscriptionSize);
            var outBytes = memory.Slice((uint)output, (uint)count * EventSize);
            Span<Subscription> subscriptions = count <= 16 ? stackalloc Subscription[count] : new Subscription[count];
            ulong now = MonotonicNow();
            bool anyReady = false;
            for (int i = 0; i < count; i++)
            {
                var raw = inBytes.Slice(i * SubscriptionSize, SubscriptionSize);
                ref var s = ref subscriptions[i];
                s.UserData = BinaryPrimitives.ReadUInt64LittleEndian(raw);
                s.Type = (EventType)raw[8];
                s.HostFd = -1;
                switch (s.Type)
                {
                    case EventType.Clock:
                        PrepareClock(ref s, raw, now);
                        break;
                    case EventType.FdRead:
                    case EventType.FdWrite:
                        PrepareFd(ref s, (int)BinaryPrimitives.ReadUInt32LittleEndian(raw[16..]));
                        break;
                    default:
                        throw new WasiError(Errno.Inval);
                }
                anyReady |= s.Ready;
            }
            if (!anyReady) Wait(subscriptions);

            int events = 0;
            foreach (var s in subscriptions)
            {
                if (!s.Ready) continue;
                // struct event { u64 userdata; u16 error @8; u8 type @10; u64 nbytes @16; u16 flags @24; } (32 bytes)
                var e = outBytes.Slice(events++ * EventSize, EventSize);
                e.Clear();
                BinaryPrimitives.WriteUInt64LittleEndian(e, s.UserData);
                BinaryPrimitives.WriteUInt16LittleEndian(e[8..], (ushort)s.Error);
                e[10] = (byte)s.Type;
                BinaryPrimitives.WriteUInt64LittleEndian(e[16..], s.Bytes);
            }
            memory.WriteU32(eventCountPointer, (uint)events);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    private static void PrepareClock(ref Subscription s, ReadOnlySpan<byte> raw, ulong monotonicNow)
    {
        // subscription_clock { u32 id @16; u64 timeout @24; u64 precision @32; u16 flags @40; }
        var clock = (ClockId)BinaryPrimitives.ReadUInt32LittleEndian(raw[16..]);
        ulong timeout = BinaryPrimitives.ReadUInt64LittleEndian(raw[24..]);
        bool absolute = (BinaryPrimitives.ReadUInt16LittleEndian(raw[40..]) & 1) != 0;
        ulong clockNow;
        try { clockNow = Now(clock); }
        catch (WasiError error)
        {
            s.Error = error.Errno;
            s.Ready = true;
            return;
        }
        ulong remaining = absolute ? (timeout > clockNow ? timeout - clockNow : 0) : timeout;
        s.Deadline = remaining > ulong.MaxValue - monotonicNow ? ulong.MaxValue : monotonicNow + remaining;
        s.Ready = remaining == 0;
    }

    private void PrepareFd(ref Subscription s, int fd)
    {
        try
        {
            var required = (s.Type == EventType.FdRead ? Rights.FdRead : Rights.FdWrite) | Rights.PollFdReadwrite;
            switch (Get(fd, required))
            {
                case HostDescriptor host when s.Type == EventType.FdRead:
                    // A file is always readable; report what is left to read.
                    long position = Libc.lseek(host.Fd, 0, (int)Whence.Cur);
                    ulong size = HostFiles.Stat(host.Fd).Size;
                    s.Bytes = position >= 0 && (ulong)position < size ? size - (ulong)position : 0;
                    s.Ready = true;
                    break;
                case StreamDescriptor { HostFd: >= 0 } stream when s.Type == EventType.FdRead && Libc.IsSupported:
                    s.HostFd = stream.HostFd; // the host's own stdin: ask poll(2)
                    break;
                case StreamDescriptor stream when s.Type == EventType.FdRead && stream.Stream.CanSeek:
                    s.Bytes = (ulong)Math.Max(0, stream.Stream.Length - stream.Stream.Position);
                    s.Ready = true;
                    break;
                default:
                    s.Ready = true;
                    break;
            }
        }
        catch (WasiError error)
        {
            // A problem with one subscription is that subscription's event, not the call's result.
            s.Error = error.Errno;
            s.Ready = true;
        }
    }

    /// <summary>Blocks until the first clock deadline passes or a polled host descriptor becomes
    /// readable, then marks what is ready.</summary>
    private static unsafe void Wait(Span<Subscription> subscriptions)
    {
        ulong deadline = ulong.MaxValue;
        int polled = 0;
        foreach (var s in subscriptions)
        {
            if (s.Error != Errno.Success) continue;
            if (s.Type == EventType.Clock) deadline = Math.Min(deadline, s.Deadline);
            else if (s.HostFd >= 0) polled++;
        }
        if (polled > 0)
        {
            var fds = stackalloc Libc.PollFd[polled];
            int n = 0;
            foreach (var s in subscriptions)
                if (s.Type != EventType.Clock && s.HostFd >= 0) fds[n++] = new Libc.PollFd { Fd = s.HostFd, Events = Libc.POLLIN };
            while (true)
            {
                ulong now = MonotonicNow();
                int timeout = deadline == ulong.MaxValue ? -1
                    : deadline <= now ? 0
                    : (int)Math.Min(int.MaxValue, (deadline - now + 999_999) / 1_000_000);
                int result = Libc.poll(fds, (nuint)polled, timeout);
                if (result < 0 && Libc.LastError == Libc.EINTR) continue;
                if (result < 0) throw WasiError.FromLastError();
                if (result > 0 || timeout == 0 || MonotonicNow() >= deadline) break;
            }
            n = 0;
            for (int i = 0; i < subscriptions.Length; i++)
            {
                ref var s = ref subscriptions[i];
                if (s.Type == EventType.Clock || s.HostFd < 0) continue;
                var fd = fds[n++];
                if (fd.ReturnedEvents != 0) s.Ready = true;
            }
        }
        else
        {
            SleepUntil(deadline);
        }
        // The call returns when its first subscription is ready. A thread that oversleeps (a busy
        // machine) must not turn later clocks ready too: clocks count as due at the earliest deadline.
        ulong end = Math.Min(MonotonicNow(), deadline);
        for (int i = 0; i < subscriptions.Length; i++)
        {
            ref var s = ref subscriptions[i];
            if (s.Type == EventType.Clock && s.Deadline <= end) s.Ready = true;
        }
    }

    private static void SleepUntil(ulong deadline)
    {
        while (true)
        {
            ulong now = MonotonicNow();
            if (now >= deadline) return;
            ulong remaining = deadline - now;
            // Sleep in whole milliseconds while more than one is left, then yield the rest away.
            if (remaining > 2_000_000) Thread.Sleep(TimeSpan.FromTicks((long)Math.Min((remaining - 1_000_000) / 100, (ulong)int.MaxValue * TimeSpan.TicksPerMillisecond)));
            else Thread.Yield();
        }
    }

    // A guest holds no sockets (none can be granted), so every socket call is on something else.
    private int NotASocket(int fd)
    {
        try
        {
            Get(fd);
            return (int)Errno.Notsock;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int SockAccept(int fd, int flags, int accepted) => NotASocket(fd);
    internal int SockRecv(int fd, int data, int dataLength, int flags, int receivedLength, int receivedFlags) => NotASocket(fd);
    internal int SockSend(int fd, int data, int dataLength, int flags, int sentLength) => NotASocket(fd);
    internal int SockShutdown(int fd, int how) => NotASocket(fd);
}
