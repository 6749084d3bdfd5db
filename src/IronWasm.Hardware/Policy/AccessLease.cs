using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Policy;

/// <summary>
/// The host's side of a handle it gave a guest: proof that the policy granted the resource, kept
/// in step with the policy in force. Only <see cref="PolicyEngine"/> creates leases. Once revoked
/// a lease stays revoked, even if a later policy grants the resource again: the guest has to ask
/// for a new handle. Dispose the lease when the guest drops the handle.
/// </summary>
public abstract class AccessLease : IDisposable
{
    private readonly object _gate = new();
    private int _revoked;
    private int _disposed;

    private protected AccessLease(PolicyEngine engine, CounterCell cell, string guest, PolicyInterface kind, string resource, AccessPolicy policy)
    {
        Engine = engine;
        Cell = cell;
        Guest = guest;
        Interface = kind;
        Resource = resource;
        CheckedAgainst = policy;
    }

    public string Guest { get; }
    public PolicyInterface Interface { get; }

    /// <summary>The bus, SPI device or pin the lease is for.</summary>
    public string Resource { get; }

    /// <summary>True once a policy replacement withdrew the grant. Cheap: a volatile read.</summary>
    public bool IsRevoked => Volatile.Read(ref _revoked) != 0;

    /// <summary>Why the lease was revoked (<see cref="PolicyVerdict.Granted"/> while it is not).</summary>
    public PolicyVerdict RevokedBecause { get; private set; }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private protected PolicyEngine Engine { get; }
    internal CounterCell Cell { get; }

    /// <summary>The policy the cached grant was resolved from.</summary>
    private protected volatile AccessPolicy CheckedAgainst;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Engine.Unregister(this);
    }

    /// <summary>Re-resolves the lease against <paramref name="policy"/>; true when this revoked it.</summary>
    internal bool Refresh(AccessPolicy policy)
    {
        lock (_gate)
        {
            if (IsRevoked || ReferenceEquals(CheckedAgainst, policy)) return false;
            var verdict = Evaluate(policy);
            CheckedAgainst = policy;
            if (verdict == PolicyVerdict.Granted) return false;
            RevokedBecause = verdict;
            Volatile.Write(ref _revoked, 1);
        }
        Engine.RecordRevocation(this, RevokedBecause);
        return true;
    }

    /// <summary>The common prologue of every per-call check: false when the call must be denied as revoked.</summary>
    private protected bool EnsureCurrent()
    {
        if (IsRevoked) return false;
        var current = Engine.Policy;
        if (!ReferenceEquals(CheckedAgainst, current)) Refresh(current);
        return !IsRevoked;
    }

    /// <summary>Runs under the lease's lock: checks the lease's present use against <paramref name="policy"/>
    /// and, when granted, caches what later calls need.</summary>
    private protected abstract PolicyVerdict Evaluate(AccessPolicy policy);

    private protected object Gate => _gate;
}

/// <summary>A lease on one I2C bus: granted while the guest has any address on it. Every transfer
/// is checked for its address and read/write rights with <see cref="Check"/>.</summary>
public sealed class I2cLease : AccessLease
{
    private volatile I2cBusGrant _grant;

    internal I2cLease(PolicyEngine engine, CounterCell cell, string guest, string bus, AccessPolicy policy, I2cBusGrant grant)
        : base(engine, cell, guest, PolicyInterface.I2c, bus, policy) => _grant = grant;

    public string Bus => Resource;

    /// <summary>Checks, counts and (when denied) audits one transfer to <paramref name="address"/>
    /// needing <paramref name="access"/>. Allocates nothing when granted.</summary>
    public PolicyVerdict Check(ushort address, I2cAccess access)
    {
        if (!EnsureCurrent()) return Engine.DenyI2c(Cell, Bus, address, access.ToText(), PolicyVerdict.Revoked);
        var verdict = _grant.Check(address, access);
        if (verdict == PolicyVerdict.Granted)
        {
            Interlocked.Increment(ref Cell.Granted);
            return verdict;
        }
        return Engine.DenyI2c(Cell, Bus, address, access.ToText(), verdict);
    }

    private protected override PolicyVerdict Evaluate(AccessPolicy policy)
    {
        var verdict = Resolve(policy, Guest, Bus, out var grant);
        if (grant is not null) _grant = grant;
        return verdict;
    }

    internal static PolicyVerdict Resolve(AccessPolicy policy, string guest, string bus, out I2cBusGrant? grant)
    {
        grant = null;
        var grants = policy.Find(guest);
        if (grants is null) return PolicyVerdict.UnknownGuest;
        return grants.I2c.TryGetValue(bus, out grant) ? PolicyVerdict.Granted : PolicyVerdict.ResourceNotGranted;
    }
}

/// <summary>A lease on one SPI device.</summary>
public sealed class SpiLease : AccessLease
{
    internal SpiLease(PolicyEngine engine, CounterCell cell, string guest, string device, AccessPolicy policy)
        : base(engine, cell, guest, PolicyInterface.Spi, device, policy)
    {
    }

    public string Device => Resource;

    /// <summary>Checks and counts one transaction; denied only once the lease is revoked.</summary>
    public PolicyVerdict Check()
    {
        if (!EnsureCurrent()) return Engine.Deny(Cell, Device, "transaction", PolicyVerdict.Revoked);
        Interlocked.Increment(ref Cell.Granted);
        return PolicyVerdict.Granted;
    }

    private protected override PolicyVerdict Evaluate(AccessPolicy policy) => policy.CheckSpi(Guest, Device);
}

/// <summary>A lease on one pin, digital or analog, in its present mode.</summary>
public sealed class GpioLease : AccessLease
{
    internal GpioLease(PolicyEngine engine, CounterCell cell, string guest, string pin, bool analog, GpioDirection direction, GpioPull pull, AccessPolicy policy)
        : base(engine, cell, guest, PolicyInterface.Gpio, pin, policy)
    {
        IsAnalog = analog;
        Direction = direction;
        Pull = pull;
    }

    public string Pin => Resource;
    public bool IsAnalog { get; }

    /// <summary>The direction the pin is used in now.</summary>
    public GpioDirection Direction { get; private set; }

    /// <summary>The pull resistor in use now (always <see cref="GpioPull.None"/> for analog pins).</summary>
    public GpioPull Pull { get; private set; }

    /// <summary>Checks and counts one use of the pin; denied only once the lease is revoked.</summary>
    public PolicyVerdict Check()
    {
        if (!EnsureCurrent()) return Engine.Deny(Cell, Pin, ModeText(Direction, Pull), PolicyVerdict.Revoked);
        Interlocked.Increment(ref Cell.Granted);
        return PolicyVerdict.Granted;
    }

    /// <summary>Asks to use the pin in a new direction (and pull); on success the lease records the new
    /// mode, which later replacements re-check. A denial leaves the lease as it was.</summary>
    public PolicyVerdict TryChangeMode(GpioDirection direction, GpioPull pull = GpioPull.None)
    {
        if (IsAnalog) pull = GpioPull.None;
        if (!EnsureCurrent()) return Engine.Deny(Cell, Pin, ModeText(direction, pull), PolicyVerdict.Revoked);
        PolicyVerdict verdict;
        lock (Gate)
        {
            var policy = CheckedAgainst;
            verdict = IsAnalog ? policy.CheckAnalog(Guest, Pin, direction) : policy.CheckGpio(Guest, Pin, direction, pull);
            if (verdict == PolicyVerdict.Granted)
            {
                Direction = direction;
                Pull = pull;
            }
        }
        if (verdict != PolicyVerdict.Granted) return Engine.Deny(Cell, Pin, ModeText(direction, pull), verdict);
        Interlocked.Increment(ref Cell.Granted);
        return verdict;
    }

    private protected override PolicyVerdict Evaluate(AccessPolicy policy) =>
        IsAnalog ? policy.CheckAnalog(Guest, Pin, Direction) : policy.CheckGpio(Guest, Pin, Direction, Pull);

    private string ModeText(GpioDirection direction, GpioPull pull) =>
        IsAnalog ? PolicyEngine.AnalogMode(direction) : PolicyEngine.DigitalMode(direction, pull);
}

/// <summary>A lease on one open USB device: granted while some <c>usb</c> rule matches it. The
/// host asks <see cref="CheckInterface"/> before claiming an interface, and the lease remembers
/// the claims so that a replacement which stops granting a claimed interface revokes it.</summary>
public sealed class UsbLease : AccessLease
{
    private UsbInterfaceSet _granted;
    private UsbInterfaceSet _claimed;

    internal UsbLease(PolicyEngine engine, CounterCell cell, string guest, UsbDeviceIdentity device, AccessPolicy policy, UsbInterfaceSet granted)
        : base(engine, cell, guest, PolicyInterface.Usb, device.Name, policy)
    {
        Device = device;
        _granted = granted;
    }

    public UsbDeviceIdentity Device { get; }

    /// <summary>Checks and counts one use of the device; denied only once the lease is revoked.
    /// Allocates nothing when granted.</summary>
    public PolicyVerdict Check()
    {
        if (!EnsureCurrent()) return Engine.Deny(Cell, Resource, "use", PolicyVerdict.Revoked);
        Interlocked.Increment(ref Cell.Granted);
        return PolicyVerdict.Granted;
    }

    /// <summary>Checks, counts and (when denied) audits claiming interface <paramref name="interfaceNumber"/>;
    /// when granted the lease records the claim until <see cref="ReleaseInterface"/>.</summary>
    public PolicyVerdict CheckInterface(byte interfaceNumber) => CheckInterfaceCore(interfaceNumber, "claim-interface", claim: true);

    /// <summary>Checks, counts and (when denied) audits an operation on interface
    /// <paramref name="interfaceNumber"/> that is not a claim (detaching its kernel driver, a
    /// control request addressed to it); <paramref name="operation"/> names it in the audit.</summary>
    public PolicyVerdict CheckInterfaceUse(byte interfaceNumber, string operation) => CheckInterfaceCore(interfaceNumber, operation, claim: false);

    private PolicyVerdict CheckInterfaceCore(byte interfaceNumber, string operation, bool claim)
    {
        if (!EnsureCurrent()) return Engine.Deny(Cell, Resource, $"{operation}/{interfaceNumber}", PolicyVerdict.Revoked);
        bool granted;
        lock (Gate)
        {
            granted = _granted.Contains(interfaceNumber);
            if (granted && claim) _claimed = _claimed.With(interfaceNumber);
        }
        if (!granted) return Engine.Deny(Cell, Resource, $"{operation}/{interfaceNumber}", PolicyVerdict.InterfaceNotGranted);
        Interlocked.Increment(ref Cell.Granted);
        return PolicyVerdict.Granted;
    }

    /// <summary>Whether interface <paramref name="interfaceNumber"/> is granted now, without counting or auditing.</summary>
    public bool IsInterfaceGranted(byte interfaceNumber) => !IsRevoked && _granted.Contains(interfaceNumber);

    /// <summary>Forgets a claim (the guest released the interface).</summary>
    public void ReleaseInterface(byte interfaceNumber)
    {
        lock (Gate)
        {
            var without = UsbInterfaceSet.None;
            for (int i = 0; i < 256; i++)
                if (i != interfaceNumber && _claimed.Contains((byte)i)) without = without.With((byte)i);
            _claimed = without;
        }
    }

    private protected override PolicyVerdict Evaluate(AccessPolicy policy)
    {
        var verdict = policy.ResolveUsb(Guest, Device, out var granted);
        if (verdict != PolicyVerdict.Granted) return verdict;
        if (!_claimed.IsSubsetOf(granted)) return PolicyVerdict.InterfaceNotGranted;
        _granted = granted;
        return PolicyVerdict.Granted;
    }
}
