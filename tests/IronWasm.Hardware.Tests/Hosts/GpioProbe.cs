using System.Buffers.Binary;
using static IronWasm.Hardware.Bindings.WasiGpio.Analog;
using static IronWasm.Hardware.Bindings.WasiGpio.Digital;

namespace IronWasm.Hardware.Tests.Hosts;

/// <summary>A raw guest calling wasi:gpio, with the results decoded. Pin kinds are the WIT resource
/// names ("digital-in-pin", "analog-out-pin", ...); errors are the WIT case names.</summary>
internal sealed class GpioProbe(RawGuest guest)
{
    public const string DigitalInterface = "wasi:gpio/digital@0.2.0";
    public const string AnalogInterface = "wasi:gpio/analog@0.2.0";
    public const string PollInterface = "wasi:gpio/poll@0.2.0";
    private const int Ret = RawGuest.Ret;

    private static readonly string[] ErrorNames =
    [
        "hardware-fault", "already-in-use", "pin-not-allowed", "pin-mode-not-allowed", "undefined-pin-label",
        "pin-mode-not-available", "would-block", "operation-not-supported", "invalid-flag", "missing-flags",
        "resource-invalidated",
    ];

    public RawGuest Guest { get; } = guest;

    private static string InterfaceOf(string kind) => kind.StartsWith("analog", StringComparison.Ordinal) ? AnalogInterface : DigitalInterface;

    /// <summary>[static]KIND.get; the handle, or the error.</summary>
    public (int Handle, string? Error) TryGet(string kind, string label, params DigitalFlag[] flags) =>
        TryGetRaw(kind, label, flags.Select(f => (byte)f).ToArray());

    public (int Handle, string? Error) TryGetAnalog(string kind, string label, params AnalogFlag[] flags) =>
        TryGetRaw(kind, label, flags.Select(f => (byte)f).ToArray());

    public int Get(string kind, string label, params DigitalFlag[] flags)
    {
        var (handle, error) = TryGet(kind, label, flags);
        Assert.Null(error);
        return handle;
    }

    public int GetAnalog(string kind, string label, params AnalogFlag[] flags)
    {
        var (handle, error) = TryGetAnalog(kind, label, flags);
        Assert.Null(error);
        return handle;
    }

    private (int, string?) TryGetRaw(string kind, string label, byte[] flags)
    {
        var (ptr, len) = Guest.PutString(label);
        int list = Guest.Put(flags, 1);
        Guest.Call(InterfaceOf(kind), $"[static]{kind}.get", ptr, len, list, flags.Length, Ret);
        return Guest.U8(Ret) == 0 ? ((int)Guest.U32(Ret + 4), null) : (0, Error(Ret + 4));
    }

    /// <summary>A method returning result&lt;_, gpio-error&gt;: null on success, else the error.</summary>
    public string? Do(string kind, int handle, string method, params object[] arguments)
    {
        Guest.Call(InterfaceOf(kind), $"[method]{kind}.{method}", [handle, .. arguments, Ret]);
        return Guest.U8(Ret) == 0 ? null : Error(Ret + 4);
    }

    /// <summary>A method returning result&lt;T, gpio-error&gt; with T one byte (bool, pin-state): the byte, or the error.</summary>
    public (byte Value, string? Error) Byte(string kind, int handle, string method, params object[] arguments)
    {
        Guest.Call(InterfaceOf(kind), $"[method]{kind}.{method}", [handle, .. arguments, Ret]);
        return Guest.U8(Ret) == 0 ? (Guest.U8(Ret + 4), null) : ((byte)0, Error(Ret + 4));
    }

    /// <summary>read / get-state as "active" or "inactive"; is-active and friends as "true" or "false".</summary>
    public string State(string kind, int handle, string method = "read")
    {
        var (value, error) = Byte(kind, handle, method);
        if (error is not null) return error;
        return method is "read" or "get-state" ? (value == 0 ? "active" : "inactive") : (value != 0 ? "true" : "false");
    }

    public (uint Value, string? Error) U32(string kind, int handle, string method, params object[] arguments)
    {
        Guest.Call(InterfaceOf(kind), $"[method]{kind}.{method}", [handle, .. arguments, Ret]);
        return Guest.U8(Ret) == 0 ? (Guest.U32(Ret + 4), null) : (0, Error(Ret + 4));
    }

    public (float Value, string? Error) F32(string kind, int handle, string method)
    {
        Guest.Call(InterfaceOf(kind), $"[method]{kind}.{method}", handle, Ret);
        return Guest.U8(Ret) == 0 ? (Guest.F32(Ret + 4), null) : (0, Error(Ret + 4));
    }

    /// <summary>A watch-* method: the pollable's handle, or the error.</summary>
    public (int Pollable, string? Error) Watch(string kind, int handle, string method, params object[] arguments)
    {
        Guest.Call(InterfaceOf(kind), $"[method]{kind}.{method}", [handle, .. arguments, Ret]);
        return Guest.U8(Ret) == 0 ? ((int)Guest.U32(Ret + 4), null) : (0, Error(Ret + 4));
    }

    public int WatchOk(string kind, int handle, string method, params object[] arguments)
    {
        var (pollable, error) = Watch(kind, handle, method, arguments);
        Assert.Null(error);
        return pollable;
    }

    /// <summary>get-config of a digital pin: "label in|out active-high|active-low pull-up|pull-down|none".</summary>
    public string DigitalConfig(string kind, int handle)
    {
        Guest.Call(DigitalInterface, $"[method]{kind}.get-config", handle, Ret);
        if (Guest.U8(Ret) != 0) return Error(Ret + 4);
        // record digital-config { label: string, pin-mode, active-level, pull-resistor: option<pull-resistor> }
        const int At = Ret + 4;
        string pull = Guest.U8(At + 10) == 0 ? "none" : Guest.U8(At + 11) == 0 ? "pull-up" : "pull-down";
        return $"{Guest.StringAt(At)} {(Guest.U8(At + 8) == 0 ? "in" : "out")} {(Guest.U8(At + 9) == 0 ? "active-high" : "active-low")} {pull}";
    }

    /// <summary>get-config of an analog pin: "label in|out dac|pwm|none".</summary>
    public string AnalogConfig(string kind, int handle)
    {
        Guest.Call(AnalogInterface, $"[method]{kind}.get-config", handle, Ret);
        if (Guest.U8(Ret) != 0) return Error(Ret + 4);
        // record analog-config { label: string, pin-mode, output-mode: option<output-mode> }
        const int At = Ret + 4;
        string mode = Guest.U8(At + 9) == 0 ? "none" : Guest.U8(At + 10) == 0 ? "dac" : "pwm";
        return $"{Guest.StringAt(At)} {(Guest.U8(At + 8) == 0 ? "in" : "out")} {mode}";
    }

    public bool IsReady(string kind, int handle) => Guest.CallInt(InterfaceOf(kind), $"[method]{kind}.is-ready", handle) != 0;

    public void Drop(string kind, int handle) => Guest.Call(InterfaceOf(kind), $"[resource-drop]{kind}", handle);

    // ---- pollables ----------------------------------------------------------------------------

    public bool Ready(int pollable) => Guest.CallInt(PollInterface, "[method]pollable.ready", pollable) != 0;

    public void Block(int pollable) => Guest.Call(PollInterface, "[method]pollable.block", pollable);

    public void DropPollable(int pollable) => Guest.Call(PollInterface, "[resource-drop]pollable", pollable);

    /// <summary>poll: the indices of the ready pollables.</summary>
    public uint[] Poll(params int[] pollables)
    {
        var list = new byte[4 * pollables.Length];
        for (int i = 0; i < pollables.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(list.AsSpan(4 * i), pollables[i]);
        int at = Guest.Put(list, 4);
        Guest.Call(PollInterface, "poll", at, pollables.Length, Ret);
        int count = (int)Guest.U32(Ret + 4);
        var indices = new uint[count];
        for (int i = 0; i < count; i++) indices[i] = Guest.U32((int)Guest.U32(Ret) + 4 * i);
        return indices;
    }

    private string Error(int at)
    {
        byte tag = Guest.U8(at);
        return tag < ErrorNames.Length ? ErrorNames[tag] : tag == 11 ? $"other({Guest.StringAt(at + 4)})" : $"bad tag {tag}";
    }
}
