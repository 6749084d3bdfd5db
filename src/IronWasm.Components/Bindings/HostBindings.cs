using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Bindings;

/// <summary>Connects generated host bindings with the dynamic canonical ABI path.</summary>
public static class HostBindings
{
    /// <summary>Binds each resource of <paramref name="world"/>'s imported interfaces that generated
    /// bindings defined for <paramref name="instance"/> (matched by interface and resource name)
    /// with <see cref="CanonicalInstance.UseResource"/>, so that <see cref="ComponentValue"/>
    /// handles from <see cref="HostResource{T}.Own"/> pass through <see cref="GuestFunction"/> to the
    /// guest's exports. Call it after the bindings' <c>Define</c>; ComponentHost calls it itself.</summary>
    public static void UseResources(CanonicalInstance instance, WitWorld world)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(world);
        var tables = HostBinding.For(instance).Tables.ToList();
        if (tables.Count == 0) return;
        foreach (var import in world.Imports)
        {
            if (import.Interface is not { QualifiedName: { } name } iface) continue;
            foreach (var type in iface.Types)
            {
                if (!type.IsResource || type.IsAlias) continue;
                var table = tables.FirstOrDefault(t => t.InterfaceName == name && t.Name == type.Name);
                if (table is not null) instance.UseResource(type, table.Type);
            }
        }
    }
}
