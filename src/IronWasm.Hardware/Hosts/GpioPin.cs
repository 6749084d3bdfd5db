using IronWasm.Components.Bindings;
using IronWasm.Hardware.Policy;
using static IronWasm.Hardware.Bindings.WasiGpio.General;

namespace IronWasm.Hardware.Hosts;

/// <summary>
/// What digital and analog pins share: the label, the guest's lease on it, and the rule that a
/// pin whose lease was revoked, or that was replaced by another <c>get</c> of its label, is closed
/// (its line released) and answers every later call with <c>resource-invalidated</c>.
/// </summary>
internal abstract class GpioPin(GuestScope scope, string label, GpioLease lease) : HostObject(scope)
{
    public string Label { get; } = label;

    public GpioLease Lease { get; } = lease;

    /// <summary>The pin cannot be used any more (closed, or its lease revoked): pollables on it
    /// count as ready, so a guest blocked on one wakes and learns why from its next call.</summary>
    public bool IsGone => IsClosed || Lease.IsRevoked;

    public bool IsReady() => !IsGone;

    /// <summary>The prologue of every call: null to go on, else the error to return. Counts the call
    /// in the policy's counters and releases the line the first time it finds the lease revoked.</summary>
    private protected GpioError? Enter()
    {
        if (IsClosed) return GpioError.ResourceInvalidated;
        if (Lease.Check() == PolicyVerdict.Granted) return null;
        Close();
        return GpioError.ResourceInvalidated;
    }

    private protected static Result<T, GpioError> Fail<T>(GpioError error) => Result<T, GpioError>.Err(error);

    /// <summary>A backend failure during a call: a line closed under the call (the host stopping)
    /// is the pin being invalidated, anything else the backend's failure.</summary>
    private protected GpioError Failure(Exception e) => IsClosed ? GpioError.ResourceInvalidated : FromException(e);

    /// <summary>A backend failure as the guest sees it.</summary>
    internal static GpioError FromException(Exception e) => e switch
    {
        IOException or ObjectDisposedException => GpioError.HardwareFault,
        _ => GpioError.Other(e.Message),
    };

    /// <summary>A policy denial as the guest sees it.</summary>
    internal static GpioError FromVerdict(PolicyVerdict verdict) =>
        verdict == PolicyVerdict.Revoked ? GpioError.ResourceInvalidated
        : verdict.IsModeDenial() ? GpioError.PinModeNotAllowed
        : GpioError.PinNotAllowed;

    private protected override void OnClose()
    {
        try
        {
            CloseLine();
        }
        finally
        {
            Lease.Dispose();
            Host.ReleasePin(this);
        }
    }

    private protected abstract void CloseLine();
}
