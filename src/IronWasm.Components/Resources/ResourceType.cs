namespace IronWasm.Components.Resources;

/// <summary>A resource type at run time. Identity matters, not structure: two instances of the same
/// WIT resource (say two drivers implementing `wasi:i2c/i2c.i2c`) are different types, and a handle
/// of one is rejected where the other is expected. Representations (reps) are i32, as in
/// CanonicalABI.md; a host implementation maps its reps to its own objects.</summary>
public sealed class ResourceType
{
    /// <param name="name">The WIT resource name, for messages.</param>
    /// <param name="destructor">Called with the rep when the last owned handle is dropped.</param>
    public ResourceType(string name, Action<int>? destructor = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Destructor = destructor;
    }

    public string Name { get; }

    public Action<int>? Destructor { get; }

    /// <summary>The handle table of the guest instance that implements this resource, or null for
    /// a host resource. Borrows lowered into the implementing instance pass the rep directly.</summary>
    public HandleTable? Implementation { get; init; }

    public override string ToString() => Name;
}
