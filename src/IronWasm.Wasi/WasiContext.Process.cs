using System.Diagnostics;
using System.Security.Cryptography;
using IronWasm.Wasi.Native;

namespace IronWasm.Wasi;

// args, environ, clocks, random, proc_* and sched_yield.
public sealed partial class WasiContext
{
    internal int ArgsSizesGet(Caller caller, int argcPointer, int bufferSizePointer) =>
        SizesGet(caller, _args, argcPointer, bufferSizePointer);

    internal int ArgsGet(Caller caller, int argv, int argvBuffer) => StringsGet(caller, _args, argv, argvBuffer);

    internal int EnvironSizesGet(Caller caller, int countPointer, int bufferSizePointer) =>
        SizesGet(caller, _environment, countPointer, bufferSizePointer);

    internal int EnvironGet(Caller caller, int environ, int environBuffer) => StringsGet(caller, _environment, environ, environBuffer);

    private static int SizesGet(Caller caller, byte[][] strings, int countPointer, int bufferSizePointer)
    {
        try
        {
            var memory = GuestMemory.Of(caller);
            long size = 0;
            foreach (var s in strings) size += s.Length;
            memory.WriteU32(countPointer, (uint)strings.Length);
            memory.WriteU32(bufferSizePointer, (uint)size);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    private static int StringsGet(Caller caller, byte[][] strings, int pointers, int buffer)
    {
        try
        {
            var memory = GuestMemory.Of(caller);
            uint at = (uint)buffer;
            for (int i = 0; i < strings.Length; i++)
            {
                memory.WriteU32(pointers + i * 4, at);
                strings[i].CopyTo(memory.Slice(at, (uint)strings[i].Length));
                at += (uint)strings[i].Length;
            }
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int ClockResGet(Caller caller, int id, int resolutionPointer)
    {
        try
        {
            ulong resolution = (ClockId)id switch
            {
                ClockId.Realtime => 100, // DateTime ticks
                ClockId.Monotonic => (ulong)Math.Max(1, 1_000_000_000 / Stopwatch.Frequency),
                ClockId.ProcessCputimeId => Libc.IsSupported ? 1UL : 100,
                ClockId.ThreadCputimeId when Libc.IsSupported => 1,
                ClockId.ThreadCputimeId => throw new WasiError(Errno.Notsup),
                _ => throw new WasiError(Errno.Inval),
            };
            GuestMemory.Of(caller).WriteU64(resolutionPointer, resolution);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int ClockTimeGet(Caller caller, int id, long precision, int timePointer)
    {
        try
        {
            ulong time = Now((ClockId)id);
            GuestMemory.Of(caller).WriteU64(timePointer, time);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    /// <summary>The time of <paramref name="clock"/> in nanoseconds.</summary>
    internal static ulong Now(ClockId clock)
    {
        switch (clock)
        {
            case ClockId.Realtime:
                return (ulong)(DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
            case ClockId.Monotonic:
                return MonotonicNow();
            case ClockId.ProcessCputimeId when !Libc.IsSupported:
                return (ulong)Environment.CpuUsage.TotalTime.Ticks * 100;
            case ClockId.ProcessCputimeId:
            case ClockId.ThreadCputimeId when Libc.IsSupported:
                return CpuTime(clock == ClockId.ProcessCputimeId ? Libc.CLOCK_PROCESS_CPUTIME_ID : Libc.CLOCK_THREAD_CPUTIME_ID);
            case ClockId.ThreadCputimeId:
                throw new WasiError(Errno.Notsup);
            default:
                throw new WasiError(Errno.Inval);
        }
    }

    internal static ulong MonotonicNow()
    {
        long ticks = Stopwatch.GetTimestamp();
        long frequency = Stopwatch.Frequency;
        return (ulong)(ticks / frequency) * 1_000_000_000UL + (ulong)(ticks % frequency * 1_000_000_000 / frequency);
    }

    private static unsafe ulong CpuTime(int clock)
    {
        Libc.Timespec time;
        if (Libc.clock_gettime(clock, &time) != 0) throw WasiError.FromLastError();
        return (ulong)time.Seconds * 1_000_000_000UL + (ulong)time.Nanoseconds;
    }

    internal static int RandomGet(Caller caller, int buffer, int length)
    {
        try
        {
            RandomNumberGenerator.Fill(GuestMemory.Of(caller).Slice(buffer, length));
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    /// <summary>Ends the guest: the exception unwinds it to <see cref="WasiCommand.Run"/> (or whoever
    /// called into it), never ending the host process.</summary>
    internal static void ProcExit(int code) => throw new ExitException(code);

    // Signals have no meaning for a guest that owns no process; raising one is not supported.
    internal static int ProcRaise(int signal) => (int)((uint)signal > 30 ? Errno.Inval : Errno.Nosys);

    internal static int SchedYield()
    {
        Thread.Yield();
        return 0;
    }
}
