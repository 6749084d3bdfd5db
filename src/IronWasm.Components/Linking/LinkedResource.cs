using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Linking;

/// <summary>One resource of a linked interface, as the importer sees it. The importer's handles
/// are of <see cref="ImporterType"/>, a type the link owns, whose reps index a table of proxies:
/// (the exporter instance that implements the resource, its rep there). The indirection is what lets
/// a driver be swapped: a handle remembers which driver made it, so a method call through a handle
/// of a swapped-out driver traps (<see cref="CanonicalAbiError.StaleHandle"/>) instead of reaching
/// the new driver with a rep it never gave out, and dropping it still runs the old driver's
/// destructor.</summary>
internal sealed class LinkedResource
{
    private struct Proxy
    {
        public ExportedInterface? Owner;   // null: free slot
        public int Rep;
    }

    private Proxy[] _proxies = new Proxy[8];
    private int _length = 1;               // rep 0 is kept free so a zeroed value is never a live proxy
    private readonly Stack<int> _free = new();

    public LinkedResource(InterfaceLink link, WitNamedType importResource, int exportIndex)
    {
        Link = link;
        ImportResource = importResource;
        ExportIndex = exportIndex;
        ImporterType = new ResourceType(importResource.Name, Drop);
    }

    public InterfaceLink Link { get; }

    public WitNamedType ImportResource { get; }

    /// <summary>The position of the resource among the exporter's <see cref="ExportedInterface.Resources"/>.</summary>
    public int ExportIndex { get; }

    /// <summary>The run-time type of the importer's handles.</summary>
    public ResourceType ImporterType { get; }

    /// <summary>Live proxies (resources the importer holds handles to).</summary>
    public int Count => _length - 1 - _free.Count;

    /// <summary>A resource of <paramref name="owner"/> moves to the importer: a new proxy rep.</summary>
    public int Add(ExportedInterface owner, int rep)
    {
        int index;
        if (_free.Count > 0) index = _free.Pop();
        else
        {
            if (_length == _proxies.Length) Array.Resize(ref _proxies, _proxies.Length * 2);
            index = _length++;
        }
        _proxies[index] = new Proxy { Owner = owner, Rep = rep };
        return index;
    }

    /// <summary>The exporter rep behind a proxy, for a call to <paramref name="current"/>; traps if
    /// the proxy was made by an exporter instance that has been swapped out. With
    /// <paramref name="remove"/> (an own handle passed on), the proxy ends.</summary>
    public int Resolve(int proxyRep, ExportedInterface current, bool remove)
    {
        ref var proxy = ref Get(proxyRep);
        if (!ReferenceEquals(proxy.Owner, current))
            AbiTrap.Throw(CanonicalAbiError.StaleHandle,
                $"the {ImportResource.Name} handle held by {Link.Importer.Name} was made by {proxy.Owner!.Owner.Label}, " +
                $"which has been swapped out for {current.Owner.Label}; the handle can only be dropped");
        int rep = proxy.Rep;
        if (remove) Remove(proxyRep);
        return rep;
    }

    /// <summary>The importer dropped its last handle: the implementing instance's destructor runs,
    /// even if that instance has been swapped out since.</summary>
    private void Drop(int proxyRep)
    {
        ref var proxy = ref Get(proxyRep);
        var owner = proxy.Owner!;
        int rep = proxy.Rep;
        Remove(proxyRep);
        owner.Resources[ExportIndex].Destructor?.Invoke(rep);
    }

    private ref Proxy Get(int proxyRep)
    {
        // The importer's handle table only hands out reps that came from Add, so a bad rep here is a
        // bug in the host, not a guest error.
        if (proxyRep <= 0 || proxyRep >= _length || _proxies[proxyRep].Owner is null)
            throw new InvalidOperationException($"no live {ImportResource.Name} proxy {proxyRep}");
        return ref _proxies[proxyRep];
    }

    private void Remove(int proxyRep)
    {
        _proxies[proxyRep] = default;
        _free.Push(proxyRep);
    }
}
