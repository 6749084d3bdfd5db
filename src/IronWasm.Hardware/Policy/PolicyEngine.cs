using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Policy;

public sealed class PolicyEngineOptions
{
    /// <summary>How many recent audit records the engine keeps for <see cref="PolicyEngine.RecentAudit"/>.</summary>
    public int RecentAuditCapacity { get; init; } = 256;

    /// <summary>Denial records written per second for one guest on one interface, at most (a burst of
    /// as many is allowed); denials beyond it are still counted. 0 means no limit.</summary>
    public int MaxAuditRecordsPerSecond { get; init; } = 100;

    /// <summary>The clock for audit times and the rate limit.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>The result of <see cref="PolicyEngine.Replace"/>.</summary>
/// <param name="Generation">The new policy's generation (the first policy is generation 1).</param>
/// <param name="Source">Where the new policy came from.</param>
/// <param name="LeasesChecked">Live leases re-checked against the new policy.</param>
/// <param name="LeasesRevoked">Of those, the leases the new policy no longer grants.</param>
public readonly record struct PolicyReplacement(long Generation, string Source, int LeasesChecked, int LeasesRevoked);

/// <summary>
/// The policy in force for a running deployment: answers checks, hands out leases for the handles
/// a host gives guests, counts and audits every decision, and swaps the policy atomically while
/// guests run, revoking the leases the new policy no longer grants. Thread-safe.
/// </summary>
/// <remarks>
/// A host checks one-off requests with <c>Check*</c>, and opens a lease (<c>Open*</c>) when it hands a
/// guest a handle (an I2C bus, an SPI device, a pin); it then asks the lease on every call, which
/// costs a volatile read and a reference compare while the policy is unchanged. See Policy/README.md.
/// </remarks>
public sealed class PolicyEngine
{
    private readonly PolicyEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Guest, PolicyInterface Interface), CounterCell> _counters = new();
    private readonly ConditionalWeakTable<AccessLease, object?> _leases = new();
    private readonly object _replaceGate = new();
    private readonly object _auditGate = new();
    private readonly AuditRing _recent;
    private volatile IAuditSink[] _sinks = [];
    private volatile AccessPolicy _policy;
    private long _generation = 1;

    public PolicyEngine(AccessPolicy policy, PolicyEngineOptions? options = null)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _options = options ?? new PolicyEngineOptions();
        _time = _options.TimeProvider;
        _recent = new AuditRing(_options.RecentAuditCapacity);
    }

    /// <summary>The policy in force.</summary>
    public AccessPolicy Policy => _policy;

    /// <summary>Counts replacements: 1 for the policy given to the constructor.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Sends every future audit record to <paramref name="sink"/> too.</summary>
    public void AddAuditSink(IAuditSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        lock (_auditGate) _sinks = [.. _sinks, sink];
    }

    /// <summary>Audit write failures (a full disk, a closed writer): the engine never fails a guest's
    /// call because its log could not be written.</summary>
    public long AuditWriteFailures => Interlocked.Read(ref _auditWriteFailures);
    private long _auditWriteFailures;

    // ---- one-off checks -------------------------------------------------------------------------

    /// <summary>Checks, counts and (when denied) audits one I2C access.</summary>
    public PolicyVerdict CheckI2c(string guest, string bus, ushort address, I2cAccess access)
    {
        var verdict = _policy.CheckI2c(guest, bus, address, access);
        var cell = CounterFor(guest, PolicyInterface.I2c);
        if (verdict == PolicyVerdict.Granted) Interlocked.Increment(ref cell.Granted);
        else DenyI2c(cell, bus, address, access.ToText(), verdict);
        return verdict;
    }

    /// <summary>Checks, counts and (when denied) audits one use of an SPI device.</summary>
    public PolicyVerdict CheckSpi(string guest, string device) => Count(CounterFor(guest, PolicyInterface.Spi), _policy.CheckSpi(guest, device), device, "transaction");

    /// <summary>Checks, counts and (when denied) audits one use of a digital pin.</summary>
    public PolicyVerdict CheckGpio(string guest, string pin, GpioDirection direction, GpioPull pull)
    {
        var verdict = _policy.CheckGpio(guest, pin, direction, pull);
        var cell = CounterFor(guest, PolicyInterface.Gpio);
        if (verdict == PolicyVerdict.Granted) Interlocked.Increment(ref cell.Granted);
        else Deny(cell, pin, DigitalMode(direction, pull), verdict);
        return verdict;
    }

    /// <summary>Checks, counts and (when denied) audits one use of an analog pin.</summary>
    public PolicyVerdict CheckAnalog(string guest, string pin, GpioDirection direction) =>
        Count(CounterFor(guest, PolicyInterface.Gpio), _policy.CheckAnalog(guest, pin, direction), pin, AnalogMode(direction));

    // ---- leases ---------------------------------------------------------------------------------

    /// <summary>Opens a lease on <paramref name="bus"/> for <paramref name="guest"/> when the policy grants
    /// it any address there. Each transfer is then checked with <see cref="I2cLease.Check"/>.</summary>
    public PolicyVerdict OpenI2c(string guest, string bus, out I2cLease? lease)
    {
        var cell = CounterFor(guest, PolicyInterface.I2c);
        var policy = _policy;
        var verdict = I2cLease.Resolve(policy, guest, bus, out var grant);
        lease = null;
        if (verdict != PolicyVerdict.Granted) return Deny(cell, bus, "open", verdict);
        Interlocked.Increment(ref cell.Granted);
        return Register(new I2cLease(this, cell, guest, bus, policy, grant!), out lease);
    }

    /// <summary>Opens a lease on the SPI device <paramref name="device"/> for <paramref name="guest"/>.</summary>
    public PolicyVerdict OpenSpi(string guest, string device, out SpiLease? lease)
    {
        var cell = CounterFor(guest, PolicyInterface.Spi);
        var policy = _policy;
        var verdict = policy.CheckSpi(guest, device);
        lease = null;
        if (verdict != PolicyVerdict.Granted) return Deny(cell, device, "open", verdict);
        Interlocked.Increment(ref cell.Granted);
        return Register(new SpiLease(this, cell, guest, device, policy), out lease);
    }

    /// <summary>Opens a lease on the digital pin <paramref name="pin"/> in <paramref name="direction"/>
    /// with <paramref name="pull"/>; <see cref="GpioLease.TryChangeMode"/> checks later reconfigurations.</summary>
    public PolicyVerdict OpenGpio(string guest, string pin, GpioDirection direction, GpioPull pull, out GpioLease? lease)
    {
        var cell = CounterFor(guest, PolicyInterface.Gpio);
        var policy = _policy;
        var verdict = policy.CheckGpio(guest, pin, direction, pull);
        lease = null;
        if (verdict != PolicyVerdict.Granted) return Deny(cell, pin, DigitalMode(direction, pull), verdict);
        Interlocked.Increment(ref cell.Granted);
        return Register(new GpioLease(this, cell, guest, pin, analog: false, direction, pull, policy), out lease);
    }

    /// <summary>Opens a lease on <paramref name="pin"/> as an analog input or output.</summary>
    public PolicyVerdict OpenAnalog(string guest, string pin, GpioDirection direction, out GpioLease? lease)
    {
        var cell = CounterFor(guest, PolicyInterface.Gpio);
        var policy = _policy;
        var verdict = policy.CheckAnalog(guest, pin, direction);
        lease = null;
        if (verdict != PolicyVerdict.Granted) return Deny(cell, pin, AnalogMode(direction), verdict);
        Interlocked.Increment(ref cell.Granted);
        return Register(new GpioLease(this, cell, guest, pin, analog: true, direction, GpioPull.None, policy), out lease);
    }

    /// <summary>Opens a lease on the USB device <paramref name="device"/> for <paramref name="guest"/> when
    /// some rule matches it; claims are then checked with <see cref="UsbLease.CheckInterface"/>.</summary>
    public PolicyVerdict OpenUsbDevice(string guest, UsbDeviceIdentity device, out UsbLease? lease)
    {
        ArgumentNullException.ThrowIfNull(device);
        var cell = CounterFor(guest, PolicyInterface.Usb);
        var policy = _policy;
        var verdict = policy.ResolveUsb(guest, device, out var granted);
        lease = null;
        if (verdict != PolicyVerdict.Granted) return Deny(cell, device.Name, "open", verdict);
        Interlocked.Increment(ref cell.Granted);
        return Register(new UsbLease(this, cell, guest, device, policy, granted), out lease);
    }

    /// <summary>Whether <paramref name="guest"/> may see <paramref name="device"/> in a listing or a
    /// hotplug event. Neither counted nor audited: hiding a device is not a refusal of a request.</summary>
    public bool IsUsbDeviceVisible(string guest, UsbDeviceIdentity device) => _policy.CheckUsb(guest, device) == PolicyVerdict.Granted;

    /// <summary>Checks, counts and (when denied) audits one use of a USB device that needs no lease.</summary>
    public PolicyVerdict CheckUsb(string guest, UsbDeviceIdentity device, string operation) =>
        Count(CounterFor(guest, PolicyInterface.Usb), _policy.CheckUsb(guest, device), device.Name, operation);

    /// <summary>Counts and audits a USB denial the host decided itself (e.g. a device open in another
    /// guest), with <paramref name="verdict"/> as the reason.</summary>
    public PolicyVerdict DenyUsb(string guest, string resource, string operation, PolicyVerdict verdict) =>
        Deny(CounterFor(guest, PolicyInterface.Usb), resource, operation, verdict);

    /// <summary>The leases opened and not yet disposed (leases dropped without Dispose are not kept alive).</summary>
    public int LiveLeaseCount
    {
        get
        {
            int n = 0;
            foreach (var entry in _leases) if (!entry.Key.IsDisposed) n++;
            return n;
        }
    }

    // ---- replacement ----------------------------------------------------------------------------

    /// <summary>Puts <paramref name="policy"/> in force at once for every guest, then re-checks every
    /// live lease against it and revokes those it no longer grants (each revocation is audited).
    /// Calls already past their check finish under the old policy; every later check sees the new one.</summary>
    public PolicyReplacement Replace(AccessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_replaceGate)
        {
            _policy = policy;
            long generation = Interlocked.Increment(ref _generation);
            int checkedCount = 0, revoked = 0;
            foreach (var entry in _leases)
            {
                var lease = entry.Key;
                if (lease.IsDisposed) continue;
                checkedCount++;
                if (lease.Refresh(policy)) revoked++;
            }
            WriteAudit(new AuditRecord(_time.GetUtcNow(), AuditEvent.PolicyReplaced, null, null, null, null,
                $"policy '{policy.Source}' in force; {revoked} of {checkedCount} live leases revoked", generation));
            return new PolicyReplacement(generation, policy.Source, checkedCount, revoked);
        }
    }

    /// <summary>Parses the policy file at <paramref name="path"/> and puts it in force. When the file is
    /// invalid the current policy stays, the failure is audited and the exception rethrown.</summary>
    /// <exception cref="PolicyFormatException">The file is not a valid policy.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public PolicyReplacement ReloadFrom(string path)
    {
        AccessPolicy policy;
        try
        {
            policy = AccessPolicy.Load(path);
        }
        catch (Exception e) when (e is PolicyFormatException or IOException or UnauthorizedAccessException)
        {
            WriteAudit(new AuditRecord(_time.GetUtcNow(), AuditEvent.PolicyReloadFailed, null, null, path, null,
                e.Message + " (the previous policy stays in force)", Generation));
            throw;
        }
        return Replace(policy);
    }

    /// <summary>Reloads the policy whenever the file at <paramref name="path"/> changes (after it has been
    /// quiet for <paramref name="settle"/>, 200 ms by default, so a save in several writes loads once).
    /// Dispose the result to stop watching.</summary>
    public IDisposable WatchFile(string path, Action<PolicyReplacement>? onReloaded = null, Action<Exception>? onError = null, TimeSpan? settle = null) =>
        new PolicyFileWatcher(this, Path.GetFullPath(path), settle ?? TimeSpan.FromMilliseconds(200), onReloaded, onError);

    // ---- audit and counters ---------------------------------------------------------------------

    /// <summary>The latest audit records, oldest first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<AuditRecord> RecentAudit(int max = int.MaxValue)
    {
        lock (_auditGate) return _recent.Latest(max);
    }

    /// <summary>A snapshot of all counters, ordered by guest and interface.</summary>
    public IReadOnlyList<PolicyCounter> Counters() =>
        _counters.Values.Select(c => c.Snapshot()).OrderBy(c => c.Guest, StringComparer.Ordinal).ThenBy(c => c.Interface).ToArray();

    internal CounterCell CounterFor(string guest, PolicyInterface kind) =>
        _counters.GetOrAdd((guest, kind), static key => new CounterCell(key.Guest, key.Interface));

    private PolicyVerdict Count(CounterCell cell, PolicyVerdict verdict, string resource, string operation)
    {
        if (verdict == PolicyVerdict.Granted) Interlocked.Increment(ref cell.Granted);
        else Deny(cell, resource, operation, verdict);
        return verdict;
    }

    internal PolicyVerdict Deny(CounterCell cell, string resource, string operation, PolicyVerdict verdict)
    {
        Interlocked.Increment(ref cell.Denied);
        if (cell.TryAdmitAuditRecord(_options.MaxAuditRecordsPerSecond, _time))
            WriteAudit(new AuditRecord(_time.GetUtcNow(), AuditEvent.Denied, cell.Guest, cell.Interface, resource, operation, verdict.ToReasonText(), Generation));
        return verdict;
    }

    /// <summary>Like <see cref="Deny"/>, but formats the resource only when the record is written.</summary>
    internal PolicyVerdict DenyI2c(CounterCell cell, string bus, ushort address, string operation, PolicyVerdict verdict)
    {
        Interlocked.Increment(ref cell.Denied);
        if (cell.TryAdmitAuditRecord(_options.MaxAuditRecordsPerSecond, _time))
            WriteAudit(new AuditRecord(_time.GetUtcNow(), AuditEvent.Denied, cell.Guest, cell.Interface, I2cResource(bus, address), operation, verdict.ToReasonText(), Generation));
        return verdict;
    }

    internal void RecordRevocation(AccessLease lease, PolicyVerdict because)
    {
        Interlocked.Increment(ref lease.Cell.Revoked);
        WriteAudit(new AuditRecord(_time.GetUtcNow(), AuditEvent.Revoked, lease.Guest, lease.Interface, lease.Resource, "revoke",
            because.ToReasonText(), Generation));
    }

    private void WriteAudit(AuditRecord record)
    {
        lock (_auditGate)
        {
            _recent.Add(record);
            foreach (var sink in _sinks)
            {
                try
                {
                    sink.Write(record);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref _auditWriteFailures);
                }
            }
        }
    }

    private PolicyVerdict Register<T>(T lease, out T? registered) where T : AccessLease
    {
        _leases.Add(lease, null);
        // A replacement between the check and the registration above would have missed this lease.
        lease.Refresh(_policy);
        if (lease.IsRevoked)
        {
            lease.Dispose();
            registered = null;
            return PolicyVerdict.Revoked;
        }
        registered = lease;
        return PolicyVerdict.Granted;
    }

    internal void Unregister(AccessLease lease) => _leases.Remove(lease);

    internal static string I2cResource(string bus, ushort address) => $"{bus}/0x{address:x2}";

    internal static string DigitalMode(GpioDirection direction, GpioPull pull) =>
        (direction == GpioDirection.Input ? "in" : "out") + pull switch
        {
            GpioPull.PullUp => "/pull-up",
            GpioPull.PullDown => "/pull-down",
            _ => "",
        };

    internal static string AnalogMode(GpioDirection direction) => direction == GpioDirection.Input ? "analog-in" : "analog-out";
}
