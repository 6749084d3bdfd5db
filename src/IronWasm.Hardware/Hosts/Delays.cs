using I2cDelayInterface = IronWasm.Hardware.Bindings.WasiI2c.Delay;
using GpioDelayInterface = IronWasm.Hardware.Bindings.WasiGpio.Delay;

namespace IronWasm.Hardware.Hosts;

/// <summary>wasi:i2c's <c>delay</c>: waits at least as long as asked (see <see cref="HostTiming.Delay"/>).
/// It holds nothing, so dropping it releases nothing.</summary>
internal sealed class I2cDelay(HostTiming timing) : I2cDelayInterface.IDelay
{
    public void DelayNs(uint ns) => timing.Delay(ns);
}

/// <summary>wasi:gpio's <c>delay</c>. The interface has no constructor: a host hands one to a guest
/// with <c>Delay.DelayResource.Own</c>.</summary>
internal sealed class GpioDelay(HostTiming timing) : GpioDelayInterface.IDelay
{
    public void DelayNs(ulong ns) => timing.Delay(ns);

    public void DelayUs(ulong us) => timing.Delay(Scale(us, 1_000));

    public void DelayMs(ulong ms) => timing.Delay(Scale(ms, 1_000_000));

    // Saturates: a wait of 2^64 ns (585 years) is as good as forever, and stays interruptible.
    private static ulong Scale(ulong value, ulong factor) => value > ulong.MaxValue / factor ? ulong.MaxValue : value * factor;
}
