using System.Diagnostics;

namespace IronWasm.Wasi.Tests;

public class PollTests
{
    private const int In = 1024, Out = 2048, Count = 0;

    private static void Clock(WasiGuest guest, int index, long userData, int clock, long timeout, bool absolute = false)
    {
        int at = In + index * 48;
        guest.Memory.GetSpan(at, 48).Clear();
        guest.Memory.WriteInt64(at, userData);
        guest.Memory.WriteByte(at + 8, 0);
        guest.Memory.WriteInt32(at + 16, clock);
        guest.Memory.WriteInt64(at + 24, timeout);
        guest.Memory.WriteInt16(at + 40, (short)(absolute ? 1 : 0));
    }

    private static void FdSubscription(WasiGuest guest, int index, long userData, int type, int fd)
    {
        int at = In + index * 48;
        guest.Memory.GetSpan(at, 48).Clear();
        guest.Memory.WriteInt64(at, userData);
        guest.Memory.WriteByte(at + 8, (byte)type);
        guest.Memory.WriteInt32(at + 16, fd);
    }

    private static (long UserData, int Error, int Type, long Bytes) Event(WasiGuest guest, int index)
    {
        int at = Out + index * 32;
        return (guest.ReadI64(at), guest.Memory.ReadInt16(at + 8), guest.Memory.ReadByte(at + 10), guest.ReadI64(at + 16));
    }

    [Fact]
    public void RelativeClockTimeoutSleeps()
    {
        using var guest = new WasiGuest();
        Clock(guest, 0, 77, 1, 50_000_000);
        var watch = Stopwatch.StartNew();
        Assert.Equal(Errno.Success, guest.Call("poll_oneoff", In, Out, 1, Count));
        Assert.True(watch.ElapsedMilliseconds >= 49, $"slept {watch.ElapsedMilliseconds} ms");
        Assert.Equal(1, guest.ReadI32(Count));
        Assert.Equal((77L, 0, 0, 0L), Event(guest, 0));
    }

    [Fact]
    public void AbsoluteClockTimeoutSleepsUntilThen()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Success, guest.Call("clock_time_get", 0, 0L, 0));
        long now = guest.ReadI64(0);
        Clock(guest, 0, 5, 0, now + 40_000_000, absolute: true);
        var watch = Stopwatch.StartNew();
        Assert.Equal(Errno.Success, guest.Call("poll_oneoff", In, Out, 1, Count));
        Assert.True(watch.ElapsedMilliseconds >= 35, $"slept {watch.ElapsedMilliseconds} ms");
        Assert.Equal(5L, Event(guest, 0).UserData);
    }

    [Fact]
    public void AbsoluteTimeInThePastFiresAtOnce()
    {
        using var guest = new WasiGuest();
        Clock(guest, 0, 5, 1, 1, absolute: true);
        var watch = Stopwatch.StartNew();
        Assert.Equal(Errno.Success, guest.Call("poll_oneoff", In, Out, 1, Count));
        Assert.True(watch.ElapsedMilliseconds < 1000);
        Assert.Equal(1, guest.ReadI32(Count));
    }

    [Fact]
    public void OnlyTheEarliestOfSeveralClocksFires()
    {
        using var guest = new WasiGuest();
        Clock(guest, 0, 1, 1, 10_000_000_000);
        Clock(guest, 1, 2, 1, 10_000_000);
        Assert.Equal(Errno.Success, guest.Call("poll_oneoff", In, Out, 2, Count));
        Assert.Equal(1, guest.ReadI32(Count));
        Assert.Equal(2L, Event(guest, 0).UserData);
    }

    [Fact]
    public void ReadyFileDescriptorsReturnWithoutWaiting()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "12345");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(3, "a.txt", 0));
        int fd = guest.ReadI32(WasiGuest.Result);
        Clock(guest, 0, 1, 1, 10_000_000_000);
        FdSubscription(guest, 1, 2, 1, fd);
        FdSubscription(guest, 2, 3, 2, 1);
        var watch = Stopwatch.StartNew();
        Assert.Equal(Errno.Success, guest.Call("poll_oneoff", In, Out, 3, Count));
        Assert.True(watch.ElapsedMilliseconds < 5000);
        Assert.Equal(2, guest.ReadI32(Count));
        Assert.Equal((2L, 0, 1, 5L), Event(guest, 0));
        Assert.Equal((3L, 0, 2, 0L), Event(guest, 1));
    }

    [Fact]
    public void CapturedStandardInputIsReadableWithItsLength()
    {
        using var guest = new WasiGuest(c => c.WithStandardInput(new MemoryStream("abc"u8.ToArray())));
        FdSubscription(guest, 0, 9, 1, 0);
        Assert.Equal(Errno.Success, guest.Call("poll_oneoff", In, Out, 1, Count));
        Assert.Equal((9L, 0, 1, 3L), Event(guest, 0));
    }

    [Fact]
    public void BadDescriptorIsReportedInTheEvent()
    {
        using var guest = new WasiGuest();
        FdSubscription(guest, 0, 4, 1, 42);
        FdSubscription(guest, 1, 5, 2, 0); // stdin cannot be written
        Assert.Equal(Errno.Success, guest.Call("poll_oneoff", In, Out, 2, Count));
        Assert.Equal(2, guest.ReadI32(Count));
        Assert.Equal((4L, (int)Errno.Badf, 1, 0L), Event(guest, 0));
        Assert.Equal((5L, (int)Errno.Notcapable, 2, 0L), Event(guest, 1));
    }

    [Fact]
    public void UnknownClockIsReportedInTheEvent()
    {
        using var guest = new WasiGuest();
        Clock(guest, 0, 4, 9, 1000);
        Assert.Equal(Errno.Success, guest.Call("poll_oneoff", In, Out, 1, Count));
        Assert.Equal((4L, (int)Errno.Inval, 0, 0L), Event(guest, 0));
    }

    [Fact]
    public void NoSubscriptionsTooManyOrAnUnknownTypeIsInval()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Inval, guest.Call("poll_oneoff", In, Out, 0, Count));
        Assert.Equal(Errno.Inval, guest.Call("poll_oneoff", In, Out, WasiContext.MaxSubscriptions + 1, Count));
        Assert.Equal(Errno.Inval, guest.Call("poll_oneoff", In, Out, -1, Count));
        FdSubscription(guest, 0, 1, 3, 0);
        Assert.Equal(Errno.Inval, guest.Call("poll_oneoff", In, Out, 1, Count));
    }

    [Fact]
    public void SubscriptionsOutsideMemoryAreFault()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Fault, guest.Call("poll_oneoff", 65536 - 40, Out, 1, Count));
        Assert.Equal(Errno.Fault, guest.Call("poll_oneoff", In, 65536 - 16, 1, Count));
        Assert.Equal(Errno.Fault, guest.Call("poll_oneoff", In, Out, 2000, Count));
    }
}
