// The contract between the compiler (Compilation/) and the runtime (Runtime/).
// Compiled code touches only the members declared here; keep them stable, and grow them only
// together with the compiler. Bodies marked "runtime implements" are filled in by Runtime/.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using IronWasm.Model;

namespace IronWasm.Runtime;

/// <summary>Per-instance state. Compiled functions are static methods whose first parameter is the
/// InstanceContext; each function's callable delegate is bound (closed) over it, so callers do not
/// pass it.</summary>
internal sealed class InstanceContext
{
    /// <summary>Memory 0 (WebAssembly 2.0 has at most one memory), or null.</summary>
    public MemoryInstance? Memory0;
    public MemoryInstance[] Memories = [];
    public TableInstance[] Tables = [];
    public GlobalInstance[] Globals = [];
    /// <summary>The function index space: imports first, then the module's own functions.</summary>
    public FunctionInstance[] Functions = [];
    /// <summary>Element segments as resolved references; a dropped segment is an empty array.</summary>
    public object?[][] ElementSegments = [];
    /// <summary>Data segments; a dropped segment is empty.</summary>
    public ReadOnlyMemory<byte>[] DataSegments = [];
    /// <summary>Canonical type id of each type in the module's type section (see <see cref="FunctionTypeRegistry"/>).</summary>
    public int[] TypeIds = [];
    /// <summary>Execution state shared by all instances of one store (call depth, fuel, deadline).</summary>
    public ExecutionState Execution = null!;
    /// <summary>The module this instance was made from (names for backtraces, compiled code).</summary>
    public CompiledModule Module = null!;
}

/// <summary>Per-store execution state, touched by compiled code at function entry and at loop headers.</summary>
internal sealed class ExecutionState
{
    /// <summary>Current depth of nested Wasm calls; compiled code increments it on entry and
    /// decrements it on return. A trap leaves it unbalanced: the host entry point restores it.</summary>
    public int CallDepth;
    /// <summary>Maximum call depth before TrapCode.StackOverflow.</summary>
    public int MaxCallDepth = 20_000;
    /// <summary>Remaining fuel, when the engine was configured to consume fuel.</summary>
    public long Fuel;
    /// <summary>Epoch counter (incremented by the host), compared to <see cref="EpochDeadline"/>.</summary>
    public long Epoch;
    public long EpochDeadline = long.MaxValue;
    /// <summary>Deadline as <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> ticks; long.MaxValue when none.</summary>
    public long DeadlineTimestamp = long.MaxValue;

    /// <summary>Called by compiled code when fuel drops below zero. Runtime implements.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void OnFuelExhausted() => throw new TrapException(TrapCode.OutOfFuel);

    /// <summary>Called by compiled code at loop headers and function entry when interruption is
    /// enabled; traps with TrapCode.Interrupt if the epoch or the deadline has passed.</summary>
    public void CheckInterrupt()
    {
        if (Epoch >= EpochDeadline || (DeadlineTimestamp != long.MaxValue && System.Diagnostics.Stopwatch.GetTimestamp() >= DeadlineTimestamp))
            throw new TrapException(TrapCode.Interrupt);
    }
}

/// <summary>A linear memory: one contiguous block of native memory. Compiled code reads
/// <see cref="Base"/> and <see cref="Length"/> directly and reloads them after any call or grow.
/// Disposing the owning store retires the memory: its length becomes 0, so every later check traps,
/// and its pages go back to the system, but its addresses stay mapped until the finalizer frees the
/// block. Guest code may still be running on the store when it is disposed (a host function it
/// called disposed it, or another thread did) and may reach accesses whose checks were done before
/// (merged checks, addresses proven in bounds), so the block must not be unmapped under it. The
/// finalizer cannot run before such code has returned: every host entry keeps its function, and
/// through the function's instance this memory, reachable.</summary>
internal sealed unsafe class MemoryInstance
{
    public byte* Base;
    /// <summary>Current size in bytes (a multiple of the page size).</summary>
    public ulong Length;
    public MemoryType Type = null!;
    public uint Pages => (uint)(Length / MemoryType.PageSize);
    /// <summary>The public <see cref="IronWasm.Memory"/> for this memory, made on first need.</summary>
    public Memory? Wrapper;

    /// <summary>Bytes allocated at <see cref="Base"/>; at least <see cref="Length"/>.</summary>
    private ulong _capacity;
    /// <summary>The store's limits (per-memory byte maximum), or null for none.</summary>
    private readonly StoreLimits? _limits;
    private readonly object _sync = new();
    /// <summary>Whether <see cref="Base"/> is a block this instance allocated (and so must free).</summary>
    private bool _owned;
    private bool _freed;

    /// <summary>An empty memory with no block; for code that sets the fields itself.</summary>
    public MemoryInstance() { }

    // Memories whose declared maximum is at most this are allocated at their maximum up front,
    // so they never move.
    private const ulong ReserveThreshold = 16UL << 20;

    /// <summary>Allocates a zeroed memory of <paramref name="type"/>'s minimum size. Throws
    /// TrapException(ResourceLimitExceeded) when the minimum is over the store's limit or cannot be allocated.</summary>
    public MemoryInstance(MemoryType type, StoreLimits? limits)
    {
        Type = type;
        _limits = limits;
        ulong initial = (ulong)type.Limits.Minimum * MemoryType.PageSize;
        if (type.Limits.Minimum > MemoryType.MaxPages || (limits is not null && initial > (ulong)limits.MemoryBytes))
            throw new TrapException(TrapCode.ResourceLimitExceeded, $"memory of {type.Limits.Minimum} pages exceeds the store's limit");
        ulong reserve = initial;
        if (type.Limits.Maximum is { } max && (ulong)max * MemoryType.PageSize <= ReserveThreshold)
            reserve = Math.Max(initial, (ulong)max * MemoryType.PageSize);
        if (reserve > 0)
        {
            // Zero pages from the OS, touched only when the guest uses them: a memory of many pages
            // costs nothing until used (clearing it here cost about 0.5 ms per MiB at every instantiation).
            if (reserve > nuint.MaxValue) throw new TrapException(TrapCode.ResourceLimitExceeded, "out of host memory for a linear memory");
            Base = MemoryBlocks.Allocate((nuint)reserve);
            if (Base == null) throw new TrapException(TrapCode.ResourceLimitExceeded, "out of host memory for a linear memory");
            _capacity = reserve;
            _owned = true;
        }
        Length = initial;
    }

    ~MemoryInstance() => Free();

    /// <summary>Releases the native block; the memory then has length 0.</summary>
    public void Free()
    {
        lock (_sync)
        {
            if (_owned && Base != null) MemoryBlocks.Free(Base, (nuint)_capacity);
            _owned = false;
            _freed = true;
            Base = null;
            Length = 0;
            _capacity = 0;
        }
    }

    /// <summary>Store disposal: length 0 from now on (checks trap, memory.grow fails) and the pages
    /// released, the addresses kept until finalization (see the class summary).</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            if (_freed) return;
            _freed = true;
            Length = 0;
            if (_owned) MemoryBlocks.Release(Base, (nuint)_capacity);
        }
    }

    /// <summary>memory.grow: returns the old size in pages, or -1 if the grow is refused (over the
    /// maximum, over the store's limit, or out of host memory).</summary>
    public int Grow(uint deltaPages)
    {
        lock (_sync)
        {
            if (_freed) return -1;
            uint old = Pages;
            if (deltaPages == 0) return (int)old;
            ulong newPages = (ulong)old + deltaPages;
            if (newPages > (Type.Limits.Maximum ?? MemoryType.MaxPages) || newPages > MemoryType.MaxPages) return -1;
            ulong newLength = newPages * MemoryType.PageSize;
            if (_limits is not null && newLength > (ulong)_limits.MemoryBytes) return -1;
            if (newLength > _capacity)
            {
                // Grow geometrically (up to the maximum) so page-by-page growth does not copy quadratically.
                ulong limit = (ulong)(Type.Limits.Maximum ?? MemoryType.MaxPages) * MemoryType.PageSize;
                if (_limits is not null) limit = Math.Min(limit, (ulong)_limits.MemoryBytes);
                ulong capacity = Math.Max(newLength, Math.Min(_capacity * 2, limit));
                if (!TryReallocate(capacity) && (capacity == newLength || !TryReallocate(newLength))) return -1;
            }
            NativeMemory.Clear(Base + Length, (nuint)(newLength - Length));
            Length = newLength;
            return (int)old;
        }
    }

    private bool TryReallocate(ulong capacity)
    {
        if (capacity > nuint.MaxValue || (!_owned && Base != null)) return false;
        var block = MemoryBlocks.Reallocate(Base, (nuint)_capacity, (nuint)capacity);
        if (block == null) return false;
        Base = (byte*)block;
        _capacity = capacity;
        _owned = true;
        return true;
    }

    /// <summary>memory.fill.</summary>
    public void Fill(uint destination, byte value, uint count)
    {
        if ((ulong)destination + count > Length) Traps.Throw(TrapCode.MemoryOutOfBounds);
        NativeMemory.Fill(Base + destination, count, value);
    }

    /// <summary>memory.init (and active data segments).</summary>
    public void Init(ReadOnlyMemory<byte> segment, uint destination, uint sourceOffset, uint count)
    {
        if ((ulong)sourceOffset + count > (ulong)segment.Length || (ulong)destination + count > Length)
            Traps.Throw(TrapCode.MemoryOutOfBounds);
        segment.Span.Slice((int)sourceOffset, (int)count).CopyTo(new Span<byte>(Base + destination, (int)count));
    }
}

/// <summary>A table of references: funcref elements are <see cref="FunctionInstance"/> or null;
/// externref elements are any host object or null.</summary>
internal sealed class TableInstance
{
    /// <summary>Backing array; only the first <see cref="Length"/> entries are in the table.</summary>
    public object?[] Elements = [];
    public uint Length;
    public TableType Type = null!;
    /// <summary>The public <see cref="IronWasm.Table"/> for this table, made on first need.</summary>
    public Table? Wrapper;
    /// <summary>The store's limits (per-table element maximum), or null for none.</summary>
    private readonly StoreLimits? _limits;

    public TableInstance() { }

    /// <summary>Creates a table of <paramref name="type"/>'s minimum size, every element
    /// <paramref name="initial"/>. Throws TrapException(ResourceLimitExceeded) over the store's limit.</summary>
    public TableInstance(TableType type, object? initial, StoreLimits? limits)
    {
        Type = type;
        _limits = limits;
        uint size = type.Limits.Minimum;
        if (size > (limits?.TableElements ?? StoreLimits.DefaultTableElements))
            throw new TrapException(TrapCode.ResourceLimitExceeded, $"table of {size} elements exceeds the store's limit");
        Elements = new object?[size];
        if (initial is not null) Array.Fill(Elements, initial);
        Length = size;
    }

    public object? Get(uint index)
    {
        if (index >= Length) Traps.Throw(TrapCode.TableOutOfBounds);
        return Elements[index];
    }

    public void Set(uint index, object? value)
    {
        if (index >= Length) Traps.Throw(TrapCode.TableOutOfBounds);
        Elements[index] = value;
    }

    /// <summary>table.grow: returns the old length or -1.</summary>
    public int Grow(uint delta, object? initial)
    {
        lock (this)
        {
            uint old = Length;
            ulong newLength = (ulong)old + delta;
            if (newLength > (Type.Limits.Maximum ?? uint.MaxValue)) return -1;
            if (newLength > (ulong)(_limits?.TableElements ?? StoreLimits.DefaultTableElements)) return -1;
            if (newLength > (ulong)Elements.Length)
            {
                long capacity = Math.Max((long)newLength, Math.Min(2L * Elements.Length, _limits?.TableElements ?? StoreLimits.DefaultTableElements));
                object?[] grown;
                try { grown = new object?[capacity]; }
                catch (OutOfMemoryException) { return -1; }
                Array.Copy(Elements, grown, old);
                Elements = grown;
            }
            if (initial is not null) Array.Fill(Elements, initial, (int)old, (int)delta);
            else Array.Clear(Elements, (int)old, (int)delta);
            Length = (uint)newLength;
            return (int)old;
        }
    }

    public void Fill(uint destination, object? value, uint count)
    {
        if ((ulong)destination + count > Length) Traps.Throw(TrapCode.TableOutOfBounds);
        Array.Fill(Elements, value, (int)destination, (int)count);
    }

    public static void Copy(TableInstance destinationTable, uint destination, TableInstance sourceTable, uint source, uint count)
    {
        if ((ulong)destination + count > destinationTable.Length || (ulong)source + count > sourceTable.Length)
            Traps.Throw(TrapCode.TableOutOfBounds);
        // Array.Copy has memmove semantics when source and destination are the same array.
        Array.Copy(sourceTable.Elements, (int)source, destinationTable.Elements, (int)destination, (int)count);
    }

    public void Init(object?[] segment, uint destination, uint sourceOffset, uint count)
    {
        if ((ulong)sourceOffset + count > (ulong)segment.Length || (ulong)destination + count > Length)
            Traps.Throw(TrapCode.TableOutOfBounds);
        Array.Copy(segment, (int)sourceOffset, Elements, (int)destination, (int)count);
    }
}

/// <summary>A global's storage cell. Numbers are kept as raw bits in <see cref="Bits"/> (i32 in the
/// low 32 bits, f32/f64 as their IEEE bits); v128 in <see cref="Vector"/>; references in
/// <see cref="Reference"/>. Imported mutable globals share the cell with the exporter.</summary>
internal sealed class GlobalInstance
{
    public ulong Bits;
    public Vector128<byte> Vector;
    public object? Reference;
    public GlobalType Type = null!;
    /// <summary>The public <see cref="IronWasm.Global"/> for this global, made on first need.</summary>
    public Global? Wrapper;
}

/// <summary>A function: a Wasm function of some instance, or a host function.
/// <see cref="Callable"/> is a delegate of type <c>SignatureDelegates.Get(Type)</c>, callable
/// with the Wasm arguments directly. For a not-yet-compiled Wasm function it is a stub that
/// compiles the function on first call and replaces itself.</summary>
internal sealed partial class FunctionInstance
{
    public FunctionType Type = null!;
    /// <summary>Canonical id of <see cref="Type"/>: equal ids mean structurally equal types.</summary>
    public int TypeId;
    public Delegate Callable = null!;
    /// <summary>The instance owning a Wasm function; null for host functions.</summary>
    public InstanceContext? Owner;
    /// <summary>Index in the owner's function index space (for names in backtraces), or -1.</summary>
    public int Index = -1;
    /// <summary>Name for diagnostics (export name, name section, or host definition).</summary>
    public string? Name;
    /// <summary>The public <see cref="IronWasm.Function"/> wrapping this function, made on first need.</summary>
    public Function? Wrapper;
    /// <summary>The execution state to restore when a call entered from the host leaves by an exception:
    /// the owner's for Wasm functions, the store's for host functions bound to a store, else null.</summary>
    public ExecutionState? Execution;
}
