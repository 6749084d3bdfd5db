using IronWasm.Components.CanonicalAbi;

namespace IronWasm.Hardware.Hosts;

/// <summary>The guest an import is defined for: the name its policy knows it by, and its instance.</summary>
internal sealed class GuestScope(HardwareHost host, string guest, CanonicalInstance instance)
{
    public HardwareHost Host { get; } = host;
    public string Guest { get; } = guest;
    public CanonicalInstance Instance { get; } = instance;
}

/// <summary>
/// A host object behind a guest's handle: an I2C bus, an SPI device, a pin. It holds a policy lease
/// and often a backend line, released once by <see cref="Close"/>: when the guest drops its last
/// handle (the bindings call <see cref="Dispose"/>), when the host closes it (another <c>get</c> of
/// the same pin, a revoked lease, <see cref="HardwareHost.Release"/>, <see cref="HardwareHost.Dispose"/>).
/// After that every call fails with the interface's error; the guest's handle stays valid until
/// the guest drops it.
/// </summary>
internal abstract class HostObject : IDisposable
{
    private int _closed;

    private protected HostObject(GuestScope scope) => Scope = scope;

    public GuestScope Scope { get; }

    public HardwareHost Host => Scope.Host;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public void Dispose() => Close();

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        try
        {
            OnClose();
        }
        finally
        {
            Host.Untrack(this);
        }
    }

    /// <summary>Releases the lease and any backend line; runs once.</summary>
    private protected abstract void OnClose();
}
