namespace IronWasm.Components.Bindings;

/// <summary>The absent payload of <c>result&lt;_, E&gt;</c>, <c>result&lt;T&gt;</c> and <c>result</c>:
/// a value with nothing in it.</summary>
public readonly struct Unit : IEquatable<Unit>
{
    public bool Equals(Unit other) => true;
    public override bool Equals(object? obj) => obj is Unit;
    public override int GetHashCode() => 0;
    public static bool operator ==(Unit left, Unit right) => true;
    public static bool operator !=(Unit left, Unit right) => false;
    public override string ToString() => "()";
}
