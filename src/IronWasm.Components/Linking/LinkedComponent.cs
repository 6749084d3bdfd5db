using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Linking;

/// <summary>A component of a <see cref="ComponentHost"/>: a core module playing a WIT world. Each
/// instantiation (the first, and one per <see cref="ComponentHost.Swap"/>) is a new generation with
/// its own instance, memory and handle table.</summary>
public sealed class LinkedComponent
{
    internal LinkedComponent(string name, Module module, WitWorld world)
    {
        Name = name;
        Module = module;
        World = world;
    }

    public string Name { get; }

    public WitWorld World { get; }

    /// <summary>The module of the current generation (or the declared one before instantiation).</summary>
    public Module Module { get; internal set; }

    /// <summary>The current instance, or null before <see cref="ComponentHost.Instantiate"/>.</summary>
    public Instance? Instance => Current?.Instance;

    /// <summary>The canonical-ABI state (handle table, memory) of the current instance.</summary>
    public CanonicalInstance? Canonical => Current?.Canonical;

    /// <summary>1 for the first instance, incremented by each swap; 0 before instantiation.</summary>
    public int Generation => Current?.Number ?? 0;

    internal ComponentGeneration? Current { get; set; }

    public override string ToString() => $"{Name} ({World.QualifiedName})";
}

/// <summary>One instance of a component, kept alive after a swap for as long as the importers hold
/// handles to its resources.</summary>
internal sealed class ComponentGeneration
{
    public ComponentGeneration(LinkedComponent component, int number, Module module, CanonicalInstance canonical)
    {
        Component = component;
        Number = number;
        Module = module;
        Canonical = canonical;
    }

    public LinkedComponent Component { get; }
    public int Number { get; }
    public Module Module { get; }
    public CanonicalInstance Canonical { get; }
    public Instance Instance { get; set; } = null!;
    public Dictionary<WitInterface, ExportedInterface> Exports { get; } = new();

    /// <summary>For messages: which component, which instance of it, from which module.</summary>
    public string Label => $"{Component.Name} #{Number} (module `{Module.Name}`)";
}

/// <summary>An interface one generation exports: its functions as callable lifts, in the order of
/// <see cref="WitInterface.Functions"/>, and the run-time types of its resources, in the order of
/// <see cref="ResourcesOf"/>.</summary>
internal sealed class ExportedInterface
{
    private readonly Function?[] _destructors;

    public ExportedInterface(ComponentGeneration owner, WitInterface @interface)
    {
        Owner = owner;
        Interface = @interface;
        var resources = ResourcesOf(@interface);
        _destructors = new Function?[resources.Count];
        Resources = new ResourceType[resources.Count];
        for (int i = 0; i < resources.Count; i++)
        {
            int index = i;
            Resources[i] = owner.Canonical.DefineResource(resources[i], rep => CallDestructor(index, rep));
        }
    }

    public ComponentGeneration Owner { get; }
    public WitInterface Interface { get; }
    public ResourceType[] Resources { get; }
    public GuestFunction[] Functions { get; private set; } = [];

    /// <summary>Finds the core exports once the instance exists.</summary>
    public void Bind(Instance instance)
    {
        var resources = ResourcesOf(Interface);
        for (int i = 0; i < resources.Count; i++)
            _destructors[i] = instance.GetFunction(CoreNames.ExportName(Interface.QualifiedName, CoreNames.Destructor(resources[i].Name)));
        Functions = Interface.Functions.Select(f => GuestFunction.FromExport(Owner.Canonical, instance, Interface, f)).ToArray();
    }

    private void CallDestructor(int index, int rep) => _destructors[index]?.Invoke([WasmValue.FromInt32(rep)], []);

    /// <summary>The resources an interface defines (not those it `use`s), in declaration order.</summary>
    public static IReadOnlyList<WitNamedType> ResourcesOf(WitInterface @interface) =>
        @interface.Types.Where(t => t.IsResource && !t.IsAlias).ToArray();
}
