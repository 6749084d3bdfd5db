namespace IronWasm.Components.Wit;

/// <summary>The feature gates on an item: `@since(version = ...)` or `@unstable(feature = ...)`,
/// optionally with `@deprecated(version = ...)` (which requires `@since`). The loader keeps gated
/// items; which ones a host exposes is its choice.</summary>
public sealed record WitFeatureGate(string? Since, string? Unstable, string? Deprecated);
