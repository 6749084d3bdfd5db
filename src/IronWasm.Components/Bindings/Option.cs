namespace IronWasm.Components.Bindings;

/// <summary>WIT's <c>option&lt;T&gt;</c>: none, or some value. A struct, so no allocation; the
/// default value is none. A <typeparamref name="T"/> converts to some.</summary>
public readonly struct Option<T> : IEquatable<Option<T>>
{
    private readonly T _value;

    private Option(T value)
    {
        _value = value;
        HasValue = true;
    }

    public bool HasValue { get; }

    /// <exception cref="InvalidOperationException">The option is none.</exception>
    public T Value => HasValue ? _value : throw new InvalidOperationException("the option is none");

    public static Option<T> None => default;

    public static Option<T> Some(T value) => new(value);

    public static implicit operator Option<T>(T value) => new(value);

    public bool TryGetValue(out T value)
    {
        value = _value;
        return HasValue;
    }

    public T GetValueOrDefault(T defaultValue) => HasValue ? _value : defaultValue;

    public bool Equals(Option<T> other) =>
        HasValue == other.HasValue && (!HasValue || EqualityComparer<T>.Default.Equals(_value, other._value));

    public override bool Equals(object? obj) => obj is Option<T> other && Equals(other);
    public override int GetHashCode() => HasValue ? HashCode.Combine(1, _value) : 0;
    public static bool operator ==(Option<T> left, Option<T> right) => left.Equals(right);
    public static bool operator !=(Option<T> left, Option<T> right) => !left.Equals(right);
    public override string ToString() => HasValue ? $"some({_value})" : "none";
}

/// <summary>Makes options with the type inferred: <c>Option.Some(3)</c>.</summary>
public static class Option
{
    public static Option<T> Some<T>(T value) => Option<T>.Some(value);
}
