namespace IronWasm.Components.Bindings;

/// <summary>WIT's <c>result&lt;T, E&gt;</c>: ok with a <typeparamref name="TOk"/>, or an error with a
/// <typeparamref name="TErr"/>; an absent side is <see cref="Unit"/>. A struct, so no allocation;
/// the default value is ok with a default payload. <see cref="Result.Ok{T}(T)"/> and
/// <see cref="Result.Err{T}(T)"/> convert to any result with that side's type:
/// <c>return Result.Ok(bytes);</c>, <c>return Result.Err(ErrorCode.Bus);</c>.</summary>
public readonly struct Result<TOk, TErr> : IEquatable<Result<TOk, TErr>>
{
    private readonly TOk _ok;
    private readonly TErr _err;
    private readonly bool _isErr;

    private Result(TOk ok, TErr err, bool isErr)
    {
        _ok = ok;
        _err = err;
        _isErr = isErr;
    }

    public bool IsOk => !_isErr;

    public bool IsErr => _isErr;

    /// <summary>The ok payload.</summary>
    /// <exception cref="InvalidOperationException">The result is an error.</exception>
    public TOk Value => !_isErr ? _ok : throw new InvalidOperationException($"the result is an error: {_err}");

    /// <summary>The error payload.</summary>
    /// <exception cref="InvalidOperationException">The result is ok.</exception>
    public TErr Error => _isErr ? _err : throw new InvalidOperationException("the result is ok, not an error");

    public static Result<TOk, TErr> Ok(TOk value) => new(value, default!, false);

    public static Result<TOk, TErr> Err(TErr error) => new(default!, error, true);

    public static implicit operator Result<TOk, TErr>(Ok<TOk> ok) => new(ok.Value, default!, false);

    public static implicit operator Result<TOk, TErr>(Err<TErr> err) => new(default!, err.Error, true);

    public bool Equals(Result<TOk, TErr> other) =>
        _isErr == other._isErr && (_isErr
            ? EqualityComparer<TErr>.Default.Equals(_err, other._err)
            : EqualityComparer<TOk>.Default.Equals(_ok, other._ok));

    public override bool Equals(object? obj) => obj is Result<TOk, TErr> other && Equals(other);
    public override int GetHashCode() => _isErr ? HashCode.Combine(1, _err) : HashCode.Combine(0, _ok);
    public static bool operator ==(Result<TOk, TErr> left, Result<TOk, TErr> right) => left.Equals(right);
    public static bool operator !=(Result<TOk, TErr> left, Result<TOk, TErr> right) => !left.Equals(right);
    public override string ToString() => _isErr ? $"err({_err})" : $"ok({_ok})";
}

/// <summary>An ok payload on its way to a <see cref="Result{TOk, TErr}"/> (whose error type is
/// known only where it converts).</summary>
public readonly struct Ok<T>(T value)
{
    public T Value { get; } = value;
}

/// <summary>An error payload on its way to a <see cref="Result{TOk, TErr}"/>.</summary>
public readonly struct Err<T>(T error)
{
    public T Error { get; } = error;
}

/// <summary>Makes results with the payload type inferred.</summary>
public static class Result
{
    public static Ok<T> Ok<T>(T value) => new(value);

    /// <summary>Ok without a payload, for <c>result&lt;_, E&gt;</c>.</summary>
    public static Ok<Unit> Ok() => new(default);

    public static Err<T> Err<T>(T error) => new(error);

    /// <summary>An error without a payload, for <c>result&lt;T&gt;</c>.</summary>
    public static Err<Unit> Err() => new(default);
}
