// The contract between the compiler (Compilation/) and the runtime (Runtime/).
// Compiled code touches only the members declared here; keep them stable, and grow them only
// together with the compiler. Bodies marked "runtime implements" are filled in by Runtime/.
using System.Runtime.CompilerServices;
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
/// <see cref="Base"/> and <see cref="Length"/> directly and reloads them after any call or grow.</summary>
internal sealed unsafe class MemoryInstance
{
    public byte* Base;
    /// <summary>Current size in bytes (a multiple of the page size).</summary>
    public ulong Length;
    public MemoryType Type = null!;
    public uint Pages => (uint)(Length / MemoryType.PageSize);

    /// <summary>memory.grow: returns the old size in pages, or -1 if the grow is refused (over the
    /// maximum, over the store's limit, or out of host memory). Runtime implements.</summary>
    public int Grow(uint deltaPages) => throw new NotImplementedException();

    // Bulk operations; each traps with MemoryOutOfBounds when out of range. Runtime implements.
    public void Fill(uint destination, byte value, uint count) => throw new NotImplementedException();
    public void Copy(uint destination, uint source, uint count) => throw new NotImplementedException();
    public void Init(ReadOnlyMemory<byte> segment, uint destination, uint sourceOffset, uint count) => throw new NotImplementedException();
}

/// <summary>A table of references: funcref elements are <see cref="FunctionInstance"/> or null;
/// externref elements are any host object or null.</summary>
internal sealed class TableInstance
{
    /// <summary>Backing array; only the first <see cref="Length"/> entries are in the table.</summary>
    public object?[] Elements = [];
    public uint Length;
    public TableType Type = null!;

    // Runtime implements; each traps with TableOutOfBounds when out of range.
    public object? Get(uint index) => throw new NotImplementedException();
    public void Set(uint index, object? value) => throw new NotImplementedException();
    /// <summary>table.grow: returns the old length or -1.</summary>
    public int Grow(uint delta, object? initial) => throw new NotImplementedException();
    public void Fill(uint destination, object? value, uint count) => throw new NotImplementedException();
    public static void Copy(TableInstance destinationTable, uint destination, TableInstance sourceTable, uint source, uint count) => throw new NotImplementedException();
    public void Init(object?[] segment, uint destination, uint sourceOffset, uint count) => throw new NotImplementedException();
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
}

/// <summary>A function: a Wasm function of some instance, or a host function.
/// <see cref="Callable"/> is a delegate of type <c>SignatureDelegates.Get(Type)</c>, callable
/// with the Wasm arguments directly. For a not-yet-compiled Wasm function it is a stub that
/// compiles the function on first call and replaces itself.</summary>
internal sealed class FunctionInstance
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
}
