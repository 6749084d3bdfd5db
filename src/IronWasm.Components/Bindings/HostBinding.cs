using System.ComponentModel;
using System.Runtime.CompilerServices;
using IronWasm.Components.CanonicalAbi;

namespace IronWasm.Components.Bindings;

/// <summary>The generated bindings' state for one guest instance: its <see cref="CanonicalInstance"/>
/// and the object tables of the host resources it holds handles to. Generated code gets it once
/// per <c>Define</c> and starts every import call with <see cref="Enter"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HostBinding
{
    private static readonly ConditionalWeakTable<CanonicalInstance, HostBinding> Bindings = new();

    private object?[] _tables = [];

    private HostBinding(CanonicalInstance instance) => Instance = instance;

    public CanonicalInstance Instance { get; }

    /// <summary>The one binding of <paramref name="instance"/>, shared by every generated interface
    /// defined for it (so a pollable made by `digital` is the pollable `poll` knows).</summary>
    public static HostBinding For(CanonicalInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Bindings.GetValue(instance, static i => new HostBinding(i));
    }

    /// <summary>Creates the table of <paramref name="resource"/> now, so that
    /// <see cref="HostBindings.UseResources"/> finds it before the first handle exists.</summary>
    public void Register<T>(HostResource<T> resource) where T : class => Table(resource);

    /// <summary>Starts an import call: checks the guest may call out now (not from cabi_realloc or
    /// a post-return function), binds the memory on first use, and rents a borrow scope when the
    /// parameters hold borrow handles.</summary>
    public HostCall Enter(Caller caller, bool borrows)
    {
        CheckMayLeave();
        if (Instance.Memory is null) Instance.BindFrom(caller);
        return new HostCall(this, borrows ? Instance.RentScope() : null);
    }

    /// <summary><c>[resource-drop]r</c>: drops the guest's handle; the last own handle to an object
    /// disposes it (if it is <see cref="IDisposable"/>).</summary>
    public void Drop<T>(HostResource<T> resource, int handle) where T : class
    {
        CheckMayLeave();
        Instance.Handles.Drop(Table(resource).Type, handle);
    }

    internal HostResourceTable<T> Table<T>(HostResource<T> resource) where T : class
    {
        var tables = _tables;
        int id = resource.Id;
        if ((uint)id < (uint)tables.Length && tables[id] is HostResourceTable<T> table) return table;
        return CreateTable(resource);
    }

    private HostResourceTable<T> CreateTable<T>(HostResource<T> resource) where T : class
    {
        if (resource.Id >= _tables.Length) Array.Resize(ref _tables, Math.Max(resource.Id + 1, _tables.Length * 2));
        var table = new HostResourceTable<T>(resource);
        _tables[resource.Id] = table;
        return table;
    }

    internal IEnumerable<IHostResourceTable> Tables => _tables.OfType<IHostResourceTable>();

    private void CheckMayLeave()
    {
        if (!Instance.MayLeave)
            AbiTrap.Throw(CanonicalAbiError.CannotLeave, "the guest called an import from cabi_realloc or a post-return function");
    }
}
