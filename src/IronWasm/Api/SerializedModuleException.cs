namespace IronWasm;

/// <summary>Why bytes could not be used as a compiled module (see <see cref="SerializedModuleException"/>).</summary>
public enum SerializedModuleError
{
    /// <summary>The bytes do not start with the compiled-module magic (an empty file, a Wasm binary, anything else).</summary>
    NotSerializedModule,
    /// <summary>The bytes end before the length their header declares.</summary>
    Truncated,
    /// <summary>A format version or flag this engine does not read.</summary>
    UnsupportedFormat,
    /// <summary>The checksum does not match, or the header contradicts itself: the bytes were damaged or edited.</summary>
    Corrupted,
    /// <summary>Compiled by another build of IronWasm, or on another .NET runtime version.</summary>
    EngineMismatch,
    /// <summary>Compiled with other code-shaping settings (fuel, epoch interruption) than the engine's.</summary>
    ConfigurationMismatch,
    /// <summary>Compiled from another WebAssembly module than the one expected (a cache entry under the wrong key).</summary>
    ModuleMismatch,
    /// <summary>Everything checked out, but the code inside could not be loaded.</summary>
    InvalidCode,
}

/// <summary>Bytes given to <see cref="Module.Deserialize(Engine, ReadOnlySpan{byte})"/> are not a
/// compiled module this engine can use; <see cref="Error"/> says why. Compiled modules are never
/// partially trusted: any of these means nothing in the bytes was run.</summary>
public sealed class SerializedModuleException : WasmException
{
    public SerializedModuleException(SerializedModuleError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    public SerializedModuleError Error { get; }

    /// <summary>A short phrase for an error, the start of every message of that kind.</summary>
    public static string Describe(SerializedModuleError error) => error switch
    {
        SerializedModuleError.NotSerializedModule => "not a compiled module",
        SerializedModuleError.Truncated => "truncated compiled module",
        SerializedModuleError.UnsupportedFormat => "unsupported compiled-module format",
        SerializedModuleError.Corrupted => "corrupted compiled module",
        SerializedModuleError.EngineMismatch => "compiled by another engine version",
        SerializedModuleError.ConfigurationMismatch => "compiled with another configuration",
        SerializedModuleError.ModuleMismatch => "compiled from another module",
        SerializedModuleError.InvalidCode => "invalid compiled module",
        _ => error.ToString(),
    };
}
