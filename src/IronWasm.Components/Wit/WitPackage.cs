namespace IronWasm.Components.Wit;

/// <summary>A resolved WIT package: its interfaces and worlds, from all of its files.</summary>
public sealed class WitPackage
{
    internal readonly List<WitInterface> InterfaceList = new();
    internal readonly List<WitWorld> WorldList = new();

    internal WitPackage(WitPackageName name, string? docs)
    {
        Name = name;
        Docs = docs;
    }

    public WitPackageName Name { get; }

    /// <summary>Doc comments on the `package` declarations.</summary>
    public string? Docs { get; }

    /// <summary>Named interfaces, in file order (files sorted by name).</summary>
    public IReadOnlyList<WitInterface> Interfaces => InterfaceList;

    public IReadOnlyList<WitWorld> Worlds => WorldList;

    public WitInterface? FindInterface(string name) => InterfaceList.FirstOrDefault(i => i.Name == name);

    public WitWorld? FindWorld(string name) => WorldList.FirstOrDefault(w => w.Name == name);

    public override string ToString() => Name.ToString();
}
