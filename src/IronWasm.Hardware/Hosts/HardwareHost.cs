using IronWasm.Components.CanonicalAbi;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;
using Digital = IronWasm.Hardware.Bindings.WasiGpio.Digital;
using General = IronWasm.Hardware.Bindings.WasiGpio.General;
using GpioAnalog = IronWasm.Hardware.Bindings.WasiGpio.Analog;
using GpioDelayBindings = IronWasm.Hardware.Bindings.WasiGpio.Delay;
using I2c = IronWasm.Hardware.Bindings.WasiI2c.I2c;
using I2cDelayBindings = IronWasm.Hardware.Bindings.WasiI2c.Delay;
using Poll = IronWasm.Hardware.Bindings.WasiGpio.Poll;
using Spi = IronWasm.Hardware.Bindings.WasiSpi.Spi;
using UsbDevice = IronWasm.Hardware.Bindings.WasiUsb.Device;
using UsbHotplug = IronWasm.Hardware.Bindings.WasiUsb.UsbHotplug;
using UsbTransfers = IronWasm.Hardware.Bindings.WasiUsb.Transfers;

namespace IronWasm.Hardware.Hosts;

/// <summary>
/// The wasi:i2c, wasi:spi, wasi:gpio and component:usb hosts, written with the generated bindings in
/// <c>IronWasm.Hardware.Bindings.*</c>, checking every call against the policy. Guests reach
/// hardware only through handles this host made after the policy granted them; denials, revoked
/// leases and backend failures come back as the interfaces' own errors (Hosts/README.md lists them).
/// </summary>
/// <remarks>
/// Waiting guests (<c>delay</c>, <c>pollable.block</c>, <c>poll</c>) can be stopped: cancelling the
/// token given to the constructor, or disposing the host, makes every such call trap with
/// <see cref="TrapCode.Interrupt"/> at once, now and later. Thread-safe; each guest
/// instance calls in from one thread at a time, as a store requires.
/// </remarks>
public sealed class HardwareHost : IDisposable
{
    internal const string ShutDownMessage = "the hardware host is shut down";

    // Never disposed: a guest thread may be about to wait on its handle when the host stops.
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenRegistration _external;
    private readonly Lock _lock = new();
    private readonly HashSet<HostObject> _live = [];
    // The pin each label is held by in this host (a label is one line in the inventory).
    private readonly Dictionary<string, GpioPin> _pins = new(StringComparer.Ordinal);
    private int _disposed;

    /// <param name="inventory">What guests can reach. The host does not own it.</param>
    /// <param name="policy">Who may reach what; every decision is counted and audited there.</param>
    /// <param name="time">The clock delays wait on: the system clock when null. Any other provider (a
    /// simulation's virtual clock) is waited on through its timers, so someone must advance it.</param>
    /// <param name="cancellation">Stops every waiting guest (as <see cref="Dispose"/> does, without closing handles).</param>
    public HardwareHost(HardwareInventory inventory, PolicyEngine policy, TimeProvider? time = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(policy);
        Inventory = inventory;
        Policy = policy;
        _external = cancellation.Register(static stop => ((CancellationTokenSource)stop!).Cancel(), _stop);
        Timing = new HostTiming(time ?? TimeProvider.System, _stop.Token);
    }

    public HardwareInventory Inventory { get; }

    public PolicyEngine Policy { get; }

    internal HostTiming Timing { get; }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Defines, for the guest named <paramref name="guest"/> (the name policies use), every import of
    /// wasi:i2c/i2c, wasi:i2c/delay, wasi:spi/spi, wasi:gpio/{general,digital,analog,poll,delay} and
    /// component:usb/{device,transfers,usb-hotplug}@0.2.1 on
    /// <paramref name="linker"/> for the guest instance <paramref name="instance"/>. Plug it into
    /// ComponentHost.DefineHostImports:
    /// <code>componentHost.DefineHostImports = (name, linker, canonical) => hardwareHost.DefineImports(linker, canonical, name);</code>
    /// </summary>
    public void DefineImports(Linker linker, CanonicalInstance instance, string guest)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentException.ThrowIfNullOrEmpty(guest);
        var scope = new GuestScope(this, guest, instance);
        var gpio = new GpioHost(scope);
        I2c.Define(linker, instance);
        I2cDelayBindings.Define(linker, instance);
        Spi.Define(linker, instance, new SpiHost(scope));
        General.Define(linker, instance);
        Digital.Define(linker, instance, gpio);
        GpioAnalog.Define(linker, instance, gpio);
        Poll.Define(linker, instance, new PollHost(Timing));
        GpioDelayBindings.Define(linker, instance);
        var usb = new UsbHost(scope);
        UsbDevice.Define(linker, instance, usb);
        UsbTransfers.Define(linker, instance, usb);
        UsbHotplug.Define(linker, instance, usb);
    }

    /// <summary>
    /// wasi:i2c has no constructor: this is how a driver gets a bus. Checks that <paramref name="guest"/>
    /// is granted <paramref name="bus"/> and returns own handles, lowered into <paramref name="instance"/>'s
    /// tables, for the bus and for a delay: the arguments of the driver's
    /// <c>ironwasm:devices/i2c-attach@0.1.0#attach(bus, delay, address)</c> export.
    /// </summary>
    /// <exception cref="HardwareAccessException">The policy grants the guest no address on the bus (audited).</exception>
    /// <exception cref="KeyNotFoundException">The inventory has no bus of that name.</exception>
    /// <exception cref="ObjectDisposedException">The host is disposed.</exception>
    public (ComponentValue Bus, ComponentValue Delay) OpenI2cForAttach(CanonicalInstance instance, string guest, string bus)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentException.ThrowIfNullOrEmpty(guest);
        ArgumentException.ThrowIfNullOrEmpty(bus);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var verdict = Policy.OpenI2c(guest, bus, out I2cLease? lease);
        if (verdict != PolicyVerdict.Granted) throw new HardwareAccessException(guest, "I2C bus", bus, verdict);
        if (!Inventory.TryGetI2cBus(bus, out II2cBus? backend))
        {
            lease!.Dispose();
            string known = string.Join(", ", Inventory.Describe().Where(e => e.Kind == "i2c").Select(e => e.Name));
            throw new KeyNotFoundException($"no I2C bus is named '{bus}' (buses: {(known.Length == 0 ? "none" : known)})");
        }
        var handle = new I2cBusHandle(new GuestScope(this, guest, instance), backend, lease!);
        if (!Track(handle)) throw new ObjectDisposedException(nameof(HardwareHost));
        return (I2c.I2cResource.Own(instance, handle), I2cDelayBindings.DelayResource.Own(instance, new I2cDelay(Timing)));
    }

    /// <summary>The first (bus, address) the policy grants <paramref name="guest"/> for I2C, for
    /// deployments that do not name an attach address: the first bus in the policy's order that the
    /// inventory has (else the first bus), and its lowest granted address. Null when it has no I2C grant.</summary>
    public (string Bus, ushort Address)? DefaultI2cGrant(string guest)
    {
        ArgumentNullException.ThrowIfNull(guest);
        if (Policy.Policy.Find(guest) is not { } grants) return null;
        (string, ushort)? first = null;
        foreach (var (bus, grant) in grants.I2c)
        {
            foreach (ushort address in grant.GrantedAddresses())
            {
                if (Inventory.TryGetI2cBus(bus, out _)) return (bus, address);
                first ??= (bus, address);
                break;
            }
        }
        return first;
    }

    /// <summary>Closes every handle this host gave <paramref name="instance"/>: leases disposed, lines
    /// released. For an instance that is going away without dropping its handles, e.g. the old instance
    /// after a ComponentHost.Swap. Returns how many were closed.</summary>
    public int Release(CanonicalInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        HostObject[] closing;
        lock (_lock) closing = _live.Where(o => o.Scope.Instance == instance).ToArray();
        foreach (var item in closing) item.Close();
        return closing.Length;
    }

    /// <summary>Stops every waiting guest (its call traps with <c>Interrupt</c>) and closes every
    /// handle guests hold: leases disposed, lines released. Later calls fail with the interfaces'
    /// errors. Does not dispose the inventory or the policy engine.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _external.Dispose();
        _stop.Cancel();
        HostObject[] closing;
        lock (_lock) closing = [.. _live];
        foreach (var item in closing) item.Close();
    }

    // ---- what the host objects use ----------------------------------------------------------

    /// <summary>Records a handle the host gave out; false (and the object closed) once the host is disposed.</summary>
    internal bool Track(HostObject item)
    {
        lock (_lock)
        {
            if (!IsDisposed)
            {
                _live.Add(item);
                return true;
            }
        }
        item.Close();
        return false;
    }

    internal void Untrack(HostObject item)
    {
        lock (_lock) _live.Remove(item);
    }

    /// <summary>Before <paramref name="guest"/> opens <paramref name="label"/>: false when another guest
    /// holds it; when the same guest does, its earlier handle is closed (and answers resource-invalidated).</summary>
    internal bool TakeOverPin(string label, string guest)
    {
        GpioPin? previous;
        lock (_lock)
        {
            if (!_pins.TryGetValue(label, out previous)) return true;
            if (previous.Scope.Guest != guest) return false;
        }
        previous.Close();
        return true;
    }

    /// <summary>Records <paramref name="pin"/> as its label's holder; false (and the pin closed) once the host is disposed.</summary>
    internal bool RegisterPin(GpioPin pin)
    {
        lock (_lock)
        {
            if (!IsDisposed)
            {
                _pins[pin.Label] = pin;
                _live.Add(pin);
                return true;
            }
        }
        pin.Close();
        return false;
    }

    internal void ReleasePin(GpioPin pin)
    {
        lock (_lock)
        {
            if (_pins.TryGetValue(pin.Label, out var holder) && holder == pin) _pins.Remove(pin.Label);
        }
    }
}
