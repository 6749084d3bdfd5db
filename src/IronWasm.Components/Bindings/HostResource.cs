using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;

namespace IronWasm.Components.Bindings;

/// <summary>A WIT resource that the host implements with objects of type <typeparamref name="T"/>
/// (the resource's generated interface). Generated bindings hold one per resource (for example
/// <c>I2c.I2cResource</c>). In each guest instance, the objects handed to the guest are kept in a
/// table of that instance: an own handle keeps its object there until the guest drops the
/// handle (then the object is disposed, if it is <see cref="IDisposable"/>) or passes it back to
/// the host.</summary>
public sealed class HostResource<T> where T : class
{
    public HostResource(string interfaceName, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        InterfaceName = interfaceName;
        Name = name;
        Id = HostResourceIds.Next();
    }

    /// <summary>The interface that defines the resource: `ns:pkg/iface@version`.</summary>
    public string InterfaceName { get; }

    /// <summary>The WIT resource name.</summary>
    public string Name { get; }

    /// <summary>Indexes the per-instance tables (see <see cref="HostBinding"/>).</summary>
    internal int Id { get; }

    /// <summary>An own handle to <paramref name="value"/> for a call into the guest of
    /// <paramref name="instance"/> through the dynamic path (<see cref="GuestFunction"/>), e.g. a
    /// driver's <c>attach(bus: own&lt;i2c&gt;, ...)</c>. The guest owns the object from then on;
    /// pass the value to the guest once (an unused one keeps the object in the table). The
    /// instance's WIT resource must be bound to this host resource, which
    /// <see cref="HostBindings.UseResources"/> does (ComponentHost does it by itself).</summary>
    public ComponentValue Own(CanonicalInstance instance, T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var table = HostBinding.For(instance).Table(this);
        return ComponentValue.Own(table.Type, table.Add(value));
    }

    /// <summary>A borrow of <paramref name="value"/> for one call into the guest: the object must
    /// already be in the instance's table (the guest owns a handle to it).</summary>
    internal ComponentValue Borrow(CanonicalInstance instance, T value)
    {
        var table = HostBinding.For(instance).Table(this);
        return ComponentValue.Borrow(table.Type, table.RepOf(value));
    }

    /// <summary>The run-time resource type this resource has in <paramref name="instance"/>, for
    /// <see cref="CanonicalInstance.UseResource"/>.</summary>
    public ResourceType TypeIn(CanonicalInstance instance) => HostBinding.For(instance).Table(this).Type;

    public override string ToString() => $"{InterfaceName}.{Name}";
}

internal static class HostResourceIds
{
    private static int _next = -1;

    public static int Next() => Interlocked.Increment(ref _next);
}

/// <summary>What <see cref="HostBindings.UseResources"/> needs from a table, whatever its object type.</summary>
internal interface IHostResourceTable
{
    string InterfaceName { get; }
    string Name { get; }
    ResourceType Type { get; }
}

/// <summary>The objects of one host resource that one guest instance holds handles to. A rep is
/// an index here; an object handed out several times keeps one rep and counts its handles, so
/// it is disposed when the last one is dropped.</summary>
internal sealed class HostResourceTable<T> : IHostResourceTable where T : class
{
    private T?[] _objects = new T?[8];
    private int[] _counts = new int[8];
    private int _length = 1;   // rep 0 is never used, so a zeroed handle entry cannot alias an object
    private readonly Stack<int> _free = new();
    private readonly Dictionary<T, int> _reps = new(ReferenceEqualityComparer.Instance);

    public HostResourceTable(HostResource<T> resource)
    {
        InterfaceName = resource.InterfaceName;
        Name = resource.Name;
        Type = new ResourceType(resource.Name, Release);
    }

    public string InterfaceName { get; }
    public string Name { get; }
    public ResourceType Type { get; }

    /// <summary>Counts one more own handle to <paramref name="value"/>; returns its rep.</summary>
    public int Add(T value)
    {
        if (_reps.TryGetValue(value, out int rep))
        {
            _counts[rep]++;
            return rep;
        }
        if (_free.Count > 0) rep = _free.Pop();
        else
        {
            if (_length == _objects.Length)
            {
                Array.Resize(ref _objects, _length * 2);
                Array.Resize(ref _counts, _length * 2);
            }
            rep = _length++;
        }
        _objects[rep] = value;
        _counts[rep] = 1;
        _reps.Add(value, rep);
        return rep;
    }

    /// <summary>The object behind a rep the handle table vouched for.</summary>
    public T Get(int rep) =>
        (uint)rep < (uint)_length && _objects[rep] is { } value ? value
        : throw new InvalidOperationException($"no {Name} object has rep {rep}");

    public int RepOf(T value) =>
        _reps.TryGetValue(value, out int rep) ? rep
        : throw new ArgumentException($"the {Name} object is not held by the guest; only objects the guest has a handle to can be lent", nameof(value));

    /// <summary>An own handle came back to the host: one handle fewer, and the object leaves the
    /// table with its last handle, without being disposed (the host owns it again).</summary>
    public T Take(int rep)
    {
        var value = Get(rep);
        if (--_counts[rep] == 0) Remove(rep, value);
        return value;
    }

    /// <summary>The destructor: the guest dropped an own handle.</summary>
    private void Release(int rep)
    {
        var value = Get(rep);
        if (--_counts[rep] > 0) return;
        Remove(rep, value);
        (value as IDisposable)?.Dispose();
    }

    private void Remove(int rep, T value)
    {
        _objects[rep] = null;
        _reps.Remove(value);
        _free.Push(rep);
    }
}
