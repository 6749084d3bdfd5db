namespace IronWasm.Components.CanonicalAbi;

/// <summary>How a guest encodes strings in its memory (the <c>string-encoding</c> canonopt).</summary>
public enum StringEncoding
{
    /// <summary>UTF-8; the length is in bytes.</summary>
    Utf8,
    /// <summary>UTF-16 little-endian, 2-byte aligned; the length is in code units.</summary>
    Utf16,
    /// <summary>Latin-1, or UTF-16 when the length's high bit is set (<c>latin1+utf16</c>).</summary>
    Latin1Utf16,
}
