using IronWasm.Components.CanonicalAbi;

namespace IronWasm.Components.Resources;

/// <summary>The resource handles of one component instance (CanonicalABI.md's <c>handles</c> table
/// of <c>ResourceHandle</c>s). A guest names a resource by an i32 index into this table; index 0 is
/// never valid. Every misuse a guest can make of an index traps with a
/// <see cref="CanonicalAbiTrapException"/>: an index never given out, one already dropped, one of
/// another resource type, a borrow used as own, dropping or moving an own that is lent out, or a
/// borrow kept past its call. Not thread-safe: an instance runs on one thread at a time.</summary>
public sealed class HandleTable
{
    /// <summary>Table indices keep their high 4 bits free for guests (Table.MAX_LENGTH).</summary>
    public const int MaxLength = (1 << 28) - 1;

    private struct Entry
    {
        public ResourceType? Type;   // null: free slot
        public int Rep;
        public bool Own;
        public int Lends;
        public BorrowScope? Scope;   // the call a borrow handle belongs to
    }

    private Entry[] _entries = new Entry[8];
    private int _length = 1;         // slot 0 is reserved
    private readonly Stack<int> _free = new();

    /// <summary>Live handles.</summary>
    public int Count => _length - 1 - _free.Count;

    /// <summary>`resource.new`: a new owned handle for <paramref name="rep"/>.</summary>
    public int New(ResourceType type, int rep) => Add(new Entry { Type = type, Rep = rep, Own = true });

    /// <summary>`resource.rep`: the rep behind an own or borrow handle of <paramref name="type"/>.</summary>
    public int Rep(ResourceType type, int index) => Get(type, index).Rep;

    /// <summary>`resource.drop`: removes the handle; for an own handle, runs the destructor; for a
    /// borrow, ends the loan.</summary>
    public void Drop(ResourceType type, int index)
    {
        ref var entry = ref Get(type, index);
        if (entry.Lends != 0)
            AbiTrap.Throw(CanonicalAbiError.HandleLent, $"cannot drop {Describe(index, entry)}: it is lent to {entry.Lends} call(s)");
        var removed = entry;
        Remove(index);
        if (removed.Own) removed.Type!.Destructor?.Invoke(removed.Rep);
        else if (removed.Scope is { } scope) scope.OutstandingBorrows--;
    }

    /// <summary>Lifts an own handle: moves it out of the table and returns its rep.</summary>
    public int LiftOwn(ResourceType type, int index)
    {
        ref var entry = ref Get(type, index);
        if (!entry.Own) AbiTrap.Throw(CanonicalAbiError.NotOwner, $"{Describe(index, entry)} is borrowed; ownership cannot be passed on");
        if (entry.Lends != 0) AbiTrap.Throw(CanonicalAbiError.HandleLent, $"cannot move {Describe(index, entry)}: it is lent to {entry.Lends} call(s)");
        int rep = entry.Rep;
        Remove(index);
        return rep;
    }

    /// <summary>Lifts a borrow: the handle stays, lent to the call of <paramref name="scope"/> until it ends.</summary>
    public int LiftBorrow(ResourceType type, int index, BorrowScope scope)
    {
        ref var entry = ref Get(type, index);
        entry.Lends++;
        scope.AddLender(this, index);
        return entry.Rep;
    }

    /// <summary>Lowers an own handle: a new owned entry.</summary>
    public int LowerOwn(ResourceType type, int rep) => New(type, rep);

    /// <summary>Lowers a borrow for the call of <paramref name="scope"/>. When this table's instance
    /// implements the resource, the rep itself is passed (CanonicalABI.md's lower_borrow shortcut).</summary>
    public int LowerBorrow(ResourceType type, int rep, BorrowScope scope)
    {
        if (ReferenceEquals(type.Implementation, this)) return rep;
        scope.OutstandingBorrows++;
        return Add(new Entry { Type = type, Rep = rep, Own = false, Scope = scope });
    }

    internal void ReturnLend(int index)
    {
        if ((uint)index < (uint)_length && _entries[index].Type is not null && _entries[index].Lends > 0) _entries[index].Lends--;
    }

    private ref Entry Get(ResourceType type, int index)
    {
        if (index <= 0 || index >= _length)
            AbiTrap.Throw(CanonicalAbiError.InvalidHandle, $"handle {index} was never given out (the table has {_length - 1} slots)");
        ref var entry = ref _entries[index];
        if (entry.Type is null)
            AbiTrap.Throw(CanonicalAbiError.UseAfterDrop, $"handle {index} was already dropped or moved");
        if (!ReferenceEquals(entry.Type, type))
            AbiTrap.Throw(CanonicalAbiError.WrongResourceType, $"handle {index} is a {entry.Type!.Name}, not a {type.Name}");
        if (entry.Scope is { IsActive: false })
            AbiTrap.Throw(CanonicalAbiError.BorrowOutlivesCall, $"handle {index} borrowed a {type.Name} for a call that has returned");
        return ref entry;
    }

    private int Add(Entry entry)
    {
        int index;
        if (_free.Count > 0) index = _free.Pop();
        else
        {
            if (_length > MaxLength) AbiTrap.Throw(CanonicalAbiError.TableFull, $"the handle table is full ({MaxLength} handles)");
            if (_length == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
            index = _length++;
        }
        _entries[index] = entry;
        return index;
    }

    private void Remove(int index)
    {
        _entries[index] = default;
        _free.Push(index);
    }

    private static string Describe(int index, in Entry entry) => $"{(entry.Own ? "own" : "borrow")}<{entry.Type!.Name}> handle {index}";
}
