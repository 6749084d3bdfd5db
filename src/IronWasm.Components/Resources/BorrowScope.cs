namespace IronWasm.Components.Resources;

/// <summary>The borrow bookkeeping of one call across the component boundary (CanonicalABI.md's
/// Task/Subtask fields). As the callee side it counts borrow handles created in the callee's table
/// (<c>num_borrows</c>), which must all be dropped before the call returns; as the caller side it
/// remembers the owned handles lent to the callee (<c>lenders</c>), whose lend counts are given
/// back when the call ends.</summary>
public sealed class BorrowScope
{
    private HandleTable? _lenderTable;
    private readonly List<int> _lenders = new();

    /// <summary>Borrow handles created for this call and not yet dropped.</summary>
    public int OutstandingBorrows { get; internal set; }

    internal bool IsActive { get; private set; } = true;

    internal void AddLender(HandleTable table, int index)
    {
        // A call lifts from a single instance's table, so one table per scope suffices.
        _lenderTable = table;
        _lenders.Add(index);
    }

    /// <summary>Ends a call whose callee was a guest: traps if it kept a borrow.</summary>
    public void EndCallee()
    {
        IsActive = false;
        if (OutstandingBorrows > 0)
            CanonicalAbi.AbiTrap.Throw(CanonicalAbi.CanonicalAbiError.BorrowOutlivesCall,
                $"the callee returned without dropping {OutstandingBorrows} borrowed handle(s)");
    }

    /// <summary>Ends a callee call that failed: leftover borrows become unusable, without a second trap.</summary>
    internal void EndCalleeWithoutCheck() => IsActive = false;

    /// <summary>Ends a call whose caller was a guest: the lent handles may be dropped again.</summary>
    public void EndCaller()
    {
        IsActive = false;
        if (_lenderTable is { } table)
        {
            foreach (int index in _lenders) table.ReturnLend(index);
        }
        _lenders.Clear();
        _lenderTable = null;
    }

    /// <summary>Makes a finished scope usable for the next call (so a caller can keep one per call site).</summary>
    internal void Reset()
    {
        IsActive = true;
        OutstandingBorrows = 0;
        _lenders.Clear();
        _lenderTable = null;
    }
}
