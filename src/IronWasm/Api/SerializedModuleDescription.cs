namespace IronWasm;

/// <summary>What a compiled module says of itself (<see cref="Module.DescribeSerialized"/>): read from
/// its header and checked against its checksum, without loading any of its code.</summary>
/// <param name="Name">The module's name.</param>
/// <param name="EngineIdentity">The IronWasm build and .NET runtime that compiled it.</param>
/// <param name="CompiledByThisEngine">Whether that is this engine: only then can it be loaded.</param>
/// <param name="Settings">The code-shaping settings it was compiled with (fuel, epoch interruption), in words.</param>
/// <param name="NativeCode">Whether its code was also compiled to native code (<see cref="Module.SerializeWithNativeCode"/>).</param>
/// <param name="Wasm">The WebAssembly binary it was compiled from.</param>
/// <param name="CodeLength">The size of its compiled code (a .NET assembly), in bytes.</param>
public sealed record SerializedModuleDescription(string Name, string EngineIdentity, bool CompiledByThisEngine, string Settings,
    bool NativeCode, ReadOnlyMemory<byte> Wasm, int CodeLength);
