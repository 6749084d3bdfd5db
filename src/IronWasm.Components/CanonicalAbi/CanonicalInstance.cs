using IronWasm.Components.Resources;
using IronWasm.Components.Wit;

namespace IronWasm.Components.CanonicalAbi;

/// <summary>The canonical-ABI side of one guest instance: its handle table, the memory and
/// <c>cabi_realloc</c> its values live in and come from, its string encoding, and which run-time
/// <see cref="ResourceType"/> each WIT resource it uses stands for. Create one per guest instance,
/// define its imports with it, then <see cref="Bind(Instance)"/> it to the instance.</summary>
public sealed class CanonicalInstance
{
    private readonly Dictionary<WitNamedType, ResourceType> _resources = new();
    private Func<int, int, int, int, int>? _reallocEntry;
    private static readonly FunctionType ReallocType = new([ValueKind.I32, ValueKind.I32, ValueKind.I32, ValueKind.I32], [ValueKind.I32]);

    public CanonicalInstance(StringEncoding stringEncoding = StringEncoding.Utf8) => StringEncoding = stringEncoding;

    public HandleTable Handles { get; } = new();

    public StringEncoding StringEncoding { get; }

    /// <summary>The guest's memory (its export `memory`).</summary>
    public Memory? Memory { get; private set; }

    /// <summary>The guest's allocator (its export `cabi_realloc`), if it has one.</summary>
    public Function? Realloc { get; private set; }

    /// <summary>False while the guest runs cabi_realloc or a post-return function: it may not call
    /// imports then (CanonicalABI.md's <c>may_leave</c>).</summary>
    internal bool MayLeave { get; set; } = true;

    /// <summary>Takes the memory and allocator from the instance's exports `memory` and `cabi_realloc`.</summary>
    public void Bind(Instance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        Bind(instance.GetMemory("memory"), instance.GetFunction(CoreNames.Realloc));
    }

    /// <summary>Sets the memory and allocator explicitly.</summary>
    public void Bind(Memory? memory, Function? realloc)
    {
        if (realloc is not null && !realloc.Type.Equals(ReallocType))
            throw new WasmLinkException($"{CoreNames.Realloc} has type {realloc.Type}; the canonical ABI needs {ReallocType}");
        Memory = memory;
        Realloc = realloc;
        // A typed entry: every list or string lowered into the guest calls it.
        _reallocEntry = realloc?.WrapAs<Func<int, int, int, int, int>>();
    }

    /// <summary>Says that <paramref name="resource"/> (a WIT resource this guest imports) is
    /// <paramref name="type"/> at run time.</summary>
    public void UseResource(WitNamedType resource, ResourceType type)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(type);
        if (!resource.IsResource) throw new ArgumentException($"`{resource.Name}` is not a resource", nameof(resource));
        _resources[resource.Original] = type;
    }

    /// <summary>Creates the run-time type of a resource this guest implements (exports): handles to
    /// it come from the guest's `[resource-new]`, and <paramref name="destructor"/> runs its `[dtor]`.</summary>
    public ResourceType DefineResource(WitNamedType resource, Action<int>? destructor = null)
    {
        var type = new ResourceType(resource.Name, destructor) { Implementation = Handles };
        UseResource(resource, type);
        return type;
    }

    /// <summary>The run-time type bound to <paramref name="resource"/>.</summary>
    public ResourceType GetResource(WitNamedType resource) =>
        _resources.TryGetValue(resource.Original, out var type) ? type
        : throw new WasmLinkException($"no run-time type is bound to the resource `{resource.Name}`; call UseResource or DefineResource first");

    private readonly Stack<BorrowScope> _scopes = new();

    /// <summary>A fresh scope for one call; scopes are reused so calls allocate none.</summary>
    internal BorrowScope RentScope()
    {
        if (_scopes.TryPop(out var scope))
        {
            scope.Reset();
            return scope;
        }
        return new BorrowScope();
    }

    /// <summary>Takes back an ended scope, unless a leftover borrow handle still refers to it (that
    /// handle must keep seeing its call as ended).</summary>
    internal void ReturnScope(BorrowScope scope)
    {
        if (scope.OutstandingBorrows == 0 && _scopes.Count < 16) _scopes.Push(scope);
    }

    /// <summary>Binds from the calling instance when the host did not bind explicitly.</summary>
    internal void BindFrom(Caller caller)
    {
        if (Memory is null && caller.GetMemory("memory") is { } memory) Bind(memory, caller.GetFunction(CoreNames.Realloc));
    }

    internal Memory RequireMemory() =>
        Memory ?? throw new WasmLinkException("the guest exports no memory `memory`, which strings, lists and spilled values need");

    /// <summary>Calls cabi_realloc (CanonicalABI.md's <c>LiftLowerContext.reallocate</c>), with
    /// imports barred while it runs, and checks the result is aligned and inside memory.</summary>
    internal uint Reallocate(uint old, uint oldSize, int alignment, uint newSize)
    {
        var realloc = _reallocEntry ?? throw new WasmLinkException($"the guest exports no `{CoreNames.Realloc}`, which passing strings, lists or spilled values to it needs");
        bool mayLeave = MayLeave;
        MayLeave = false;
        uint ptr;
        try
        {
            ptr = (uint)realloc((int)old, (int)oldSize, alignment, (int)newSize);
        }
        finally
        {
            MayLeave = mayLeave;
        }
        if ((ptr & (uint)(alignment - 1)) != 0)
            AbiTrap.Throw(CanonicalAbiError.Misaligned, $"{CoreNames.Realloc} returned {ptr}, which is not {alignment}-byte aligned");
        if ((ulong)ptr + newSize > (ulong)RequireMemory().Length)
            AbiTrap.Throw(CanonicalAbiError.OutOfBounds, $"{CoreNames.Realloc} returned [{ptr}, {ptr}+{newSize}), outside the memory of {RequireMemory().Length} bytes");
        return ptr;
    }
}
