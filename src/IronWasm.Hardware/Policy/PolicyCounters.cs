namespace IronWasm.Hardware.Policy;

/// <summary>How often one guest was granted and denied on one interface since the engine started.</summary>
/// <param name="Guest">The guest (component name).</param>
/// <param name="Interface">The hardware interface.</param>
/// <param name="Granted">Checks granted, counting every call made through a lease.</param>
/// <param name="Denied">Checks denied (each one audited unless rate-limited).</param>
/// <param name="Revoked">Leases of this guest and interface revoked by policy replacements.</param>
/// <param name="AuditSuppressed">Denials counted but not written as audit records, because the
/// guest exceeded the audit rate limit.</param>
public readonly record struct PolicyCounter(string Guest, PolicyInterface Interface, long Granted, long Denied, long Revoked, long AuditSuppressed);

/// <summary>The live counters of one guest on one interface, plus its audit rate limiter.
/// Leases keep a reference to their cell, so counting a call is one interlocked add.</summary>
internal sealed class CounterCell(string guest, PolicyInterface kind)
{
    public readonly string Guest = guest;
    public readonly PolicyInterface Interface = kind;
    public long Granted;
    public long Denied;
    public long Revoked;
    public long AuditSuppressed;

    private double _tokens = double.NaN;
    private long _lastRefill;

    public PolicyCounter Snapshot() => new(Guest, Interface,
        Interlocked.Read(ref Granted), Interlocked.Read(ref Denied), Interlocked.Read(ref Revoked), Interlocked.Read(ref AuditSuppressed));

    /// <summary>A token bucket: up to <paramref name="perSecond"/> records in a burst, refilled at that
    /// rate. A guest hammering a denied address is still counted, just not logged line by line.</summary>
    public bool TryAdmitAuditRecord(int perSecond, TimeProvider time)
    {
        if (perSecond <= 0) return true;
        lock (this)
        {
            long now = time.GetTimestamp();
            if (double.IsNaN(_tokens))
            {
                _tokens = perSecond;
            }
            else
            {
                double elapsed = time.GetElapsedTime(_lastRefill, now).TotalSeconds;
                _tokens = Math.Min(perSecond, _tokens + elapsed * perSecond);
            }
            _lastRefill = now;
            if (_tokens < 1)
            {
                Interlocked.Increment(ref AuditSuppressed);
                return false;
            }
            _tokens -= 1;
            return true;
        }
    }
}
