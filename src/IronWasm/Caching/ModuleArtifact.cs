using System.Buffers.Binary;
using System.Text;
using IronWasm.Binary;
using IronWasm.Loading;
using IronWasm.Model;
using IronWasm.Runtime;

namespace IronWasm.Caching;

/// <summary>The file format of a compiled module (<see cref="Module.Serialize"/>, cache entries,
/// <c>ironwasm compile</c>): a header, then the original Wasm binary, then the persisted assembly.
/// All integers are little-endian.
/// <code>
///   0   8  magic 89 'I' 'W' 'A' 'S' 'M' 0D 0A
///   8   4  format version (2)
///  12   4  header length H, tag included
///  16   4  flags: bit 0 = the image holds ReadyToRun native code (<see cref="Compilation.ReadyToRunCompiler"/>);
///           any other set bit is an unknown format
///  20   4  configuration fingerprint (EngineIdentity.Fingerprint)
///  24   4  defined function count
///  28   4  metadata token of defined function 0's method
///  32   8  Wasm length W
///  40   8  assembly length A
///  48   2+ engine identity: length, UTF-8 bytes
///   .   2+ module name: length, UTF-8 bytes
///  H-8  8  tag: XXH64 of bytes [0, H-8), seeded with the XXH64 of the W + A payload bytes
///   H   W  the Wasm binary
/// H+W   A  the assembly (a PE image)
/// </code>
/// Format 1 had a SHA-256 of the Wasm at 48 and a SHA-256 tag; see Caching/RATIONALE.md for why
/// format 2 does not need a cryptographic hash.
/// The file is exactly H + W + A bytes. Reading checks, in order: length, magic, version, header
/// consistency, the tag, then the engine identity and the configuration; anything wrong raises
/// <see cref="SerializedModuleException"/> saying what.</summary>
internal static class ModuleArtifact
{
    public const int FormatVersion = 2;
    private const int FixedLength = 48;
    private const int TagLength = 8;
    private const int MinimumHeader = FixedLength + 2 + 2 + TagLength;
    private const int MaxStringBytes = 4096;

    /// <summary>The magic: a byte with the high bit set (catches 7-bit channels), "IWASM", and CR LF
    /// (catches newline translation), as PNG does.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'I', (byte)'W', (byte)'A', (byte)'S', (byte)'M', 0x0D, 0x0A];

    /// <summary>Whether <paramref name="bytes"/> start like a compiled module.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Magic);

    /// <summary>What a compiled module file holds.</summary>
    public sealed record Contents(string EngineIdentity, uint Fingerprint, string Name, byte[] Wasm,
        ReadOnlyMemory<byte> Image, int FirstMethodToken, int FunctionCount)
    {
        /// <summary>The image was precompiled to native code (ReadyToRun) as well as holding the IL.</summary>
        public bool ReadyToRun { get; init; }
    }

    private const uint ReadyToRunFlag = 1;

    /// <summary>The bytes of a compiled module file.</summary>
    public static byte[] Write(Contents contents)
    {
        var engine = Encoding.UTF8.GetBytes(contents.EngineIdentity);
        var name = Encoding.UTF8.GetBytes(Truncate(contents.Name));
        if (engine.Length > MaxStringBytes) throw new ArgumentException("engine identity too long", nameof(contents));
        int headerLength = FixedLength + 2 + engine.Length + 2 + name.Length + TagLength;
        var bytes = new byte[(long)headerLength + contents.Wasm.Length + contents.Image.Length];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], headerLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], contents.ReadyToRun ? ReadyToRunFlag : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], contents.Fingerprint);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], contents.FunctionCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], contents.FirstMethodToken);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], contents.Wasm.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[40..], contents.Image.Length);
        int position = FixedLength;
        position = WriteString(span, position, engine);
        position = WriteString(span, position, name);
        contents.Wasm.CopyTo(span[headerLength..]);
        contents.Image.Span.CopyTo(span[(headerLength + contents.Wasm.Length)..]);
        BinaryPrimitives.WriteUInt64LittleEndian(span[position..], ComputeTag(span, headerLength));
        return bytes;
    }

    /// <summary>A verified compiled module: its header fields and where the payload is.</summary>
    public readonly record struct Verified(string EngineIdentity, uint Fingerprint, string Name, int FunctionCount,
        int FirstMethodToken, int WasmOffset, int WasmLength, int ImageOffset, int ImageLength, ulong Tag, bool ReadyToRun);

    /// <summary>Checks everything that can be checked without the engine: structure and tag.</summary>
    public static Verified Verify(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Magic.Length)
        {
            if (bytes.Length > 0 && Magic.StartsWith(bytes))
                throw Fail(SerializedModuleError.Truncated, $"only {bytes.Length} bytes");
            throw Fail(SerializedModuleError.NotSerializedModule, bytes.Length == 0 ? "the file is empty" : "it does not start with the compiled-module magic");
        }
        if (!HasMagic(bytes))
        {
            throw Fail(SerializedModuleError.NotSerializedModule, bytes.StartsWith("\0asm"u8)
                ? "it is a WebAssembly binary, not a compiled module"
                : "it does not start with the compiled-module magic");
        }
        if (bytes.Length < 12) throw Fail(SerializedModuleError.Truncated, $"only {bytes.Length} bytes");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (version != FormatVersion)
            throw Fail(SerializedModuleError.UnsupportedFormat, $"format version {version}; this engine reads version {FormatVersion}");
        if (bytes.Length < MinimumHeader) throw Fail(SerializedModuleError.Truncated, $"only {bytes.Length} bytes, less than a header");

        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]);
        uint fingerprint = BinaryPrimitives.ReadUInt32LittleEndian(bytes[20..]);
        int functionCount = BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]);
        int firstToken = BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]);
        long wasmLength = BinaryPrimitives.ReadInt64LittleEndian(bytes[32..]);
        long imageLength = BinaryPrimitives.ReadInt64LittleEndian(bytes[40..]);
        if (headerLength < MinimumHeader || headerLength > FixedLength + 4 + 2 * MaxStringBytes + TagLength)
            throw Fail(SerializedModuleError.Corrupted, $"header length {headerLength} is impossible");
        if (wasmLength < 8 || imageLength < 0 || wasmLength > int.MaxValue || imageLength > int.MaxValue)
            throw Fail(SerializedModuleError.Corrupted, "the payload lengths are impossible");
        long expected = headerLength + wasmLength + imageLength;
        if (bytes.Length < expected) throw Fail(SerializedModuleError.Truncated, $"{bytes.Length} bytes of {expected}");
        if (bytes.Length > expected) throw Fail(SerializedModuleError.Corrupted, $"{bytes.Length - expected} bytes after the end");

        int position = FixedLength;
        var engine = ReadString(bytes, ref position, headerLength - TagLength);
        var name = ReadString(bytes, ref position, headerLength - TagLength);
        if (position != headerLength - TagLength) throw Fail(SerializedModuleError.Corrupted, "the header's fields do not fill it");

        ulong tag = ComputeTag(bytes, headerLength);
        if (tag != BinaryPrimitives.ReadUInt64LittleEndian(bytes[position..]))
            throw Fail(SerializedModuleError.Corrupted, "checksum mismatch: the file is damaged or was modified");
        // Checked after the tag: a damaged header is reported as damage, not as a newer format.
        if ((flags & ~ReadyToRunFlag) != 0) throw Fail(SerializedModuleError.UnsupportedFormat, $"unknown flags 0x{flags:X}");
        if (functionCount < 0 || (functionCount > 0 && (firstToken >> 24) != 0x06))
            throw Fail(SerializedModuleError.Corrupted, "the code description is impossible");

        return new Verified(engine, fingerprint, name, functionCount, firstToken,
            headerLength, (int)wasmLength, headerLength + (int)wasmLength, (int)imageLength, tag, (flags & ReadyToRunFlag) != 0);
    }

    /// <summary>Loaded code by tag and way of loading: loading the same compiled module again in this
    /// process reuses the code (and the JIT-compiled methods) and the decoded module. Held weakly, so
    /// that DynamicMethods are freed with the last module using them; an assembly cannot be unloaded,
    /// so assembly loads are also held in <see cref="LoadedAssemblies"/> for good. Keyed by a string,
    /// not the tag itself: a dictionary over a value type is generic code the JIT must compile at
    /// every start, while Dictionary&lt;string, T&gt; is precompiled.</summary>
    private static readonly Dictionary<string, WeakReference<PersistedCode>> LoadedCode = new(StringComparer.Ordinal);
    private static readonly List<PersistedCode> LoadedAssemblies = [];

    /// <summary>What each load in <see cref="LoadedCode"/> was made from, alive as long as its code is.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PersistedCode, Loaded> LoadSources = new();

    /// <summary>An earlier load: the file's header, Wasm and assembly image (kept as three arrays,
    /// together exactly the file's bytes) and what was made of them.</summary>
    private sealed record Loaded(byte[] Header, Verified Verified, ModuleDefinition Definition, PersistedCode Code, byte[] Wasm);

    /// <summary>Verifies a compiled module against <paramref name="engine"/> (and, when given, the
    /// Wasm binary it must have been compiled from: the one inside must equal it byte for byte) and
    /// loads its code. Bytes identical to bytes loaded before in this process are recognised by
    /// comparison, without hashing again, and reuse that load. <paramref name="bytes"/> are copied
    /// (the caller may reuse the buffer).</summary>
    public static ModuleLoadResult Load(Engine engine, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> expectedWasm)
    {
        var loading = engine.Config.CompiledCodeLoading;
        var loaded = FindLoaded(bytes, loading);
        var verified = loaded?.Verified ?? Verify(bytes);
        var identity = EngineIdentity.Current;
        if (verified.EngineIdentity != identity)
            throw Fail(SerializedModuleError.EngineMismatch, $"compiled by {verified.EngineIdentity}; this is {identity}");
        uint fingerprint = EngineIdentity.Fingerprint(engine.Options);
        if (verified.Fingerprint != fingerprint)
        {
            throw Fail(SerializedModuleError.ConfigurationMismatch,
                $"compiled with {EngineIdentity.Describe(verified.Fingerprint)}; this engine has {EngineIdentity.Describe(fingerprint)}");
        }
        if (!expectedWasm.IsEmpty && !expectedWasm.SequenceEqual(bytes.Slice(verified.WasmOffset, verified.WasmLength)))
            throw Fail(SerializedModuleError.ModuleMismatch, "compiled from a different WebAssembly module");

        if (loaded is null)
        {
            // Copied in pieces rather than whole: a module of up to 85,000 bytes of Wasm and as much
            // code then stays out of the large-object heap, whose fresh pages cost a first load more
            // (page faults, clearing) than the rest of reading the module.
            var header = Copy(bytes[..verified.WasmOffset]);
            var wasm = Copy(bytes.Slice(verified.WasmOffset, verified.WasmLength));
            var image = Copy(bytes.Slice(verified.ImageOffset, verified.ImageLength));
            ModuleDefinition definition;
            PersistedCode code;
            try
            {
                definition = ModuleDecoder.DecodeTrusted(wasm);
                if (definition.FunctionTypeIndices.Count != verified.FunctionCount)
                    throw new BadImageFormatException("the function count does not match the module");
                code = PersistedCode.Load(image, verified.FirstMethodToken, definition, loading, verified.ReadyToRun);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Only a file forged to pass the checksum gets here: compiled modules are written whole.
                throw new SerializedModuleException(SerializedModuleError.InvalidCode, $"invalid compiled module: {e.Message}", e);
            }
            loaded = new Loaded(header, verified, definition, code, wasm);
            lock (LoadedCode)
            {
                string key = LoadKey(verified.Tag, loading);
                if (LoadedCode.TryGetValue(key, out var earlier) && earlier.TryGetTarget(out var raced) && LoadSources.TryGetValue(raced, out var racedLoad))
                {
                    loaded = racedLoad;
                }
                else
                {
                    if (LoadedCode.Count >= 64 && (LoadedCode.Count & (LoadedCode.Count - 1)) == 0) ForgetCollected();
                    LoadedCode[key] = new WeakReference<PersistedCode>(code);
                    LoadSources.AddOrUpdate(code, loaded);
                    if (loading == CompiledCodeLoading.Assembly) LoadedAssemblies.Add(code);
                }
            }
        }
        return new ModuleLoadResult(verified.Name, loaded.Definition, loaded.Code, loaded.Wasm);
    }

    private static byte[] Copy(ReadOnlySpan<byte> bytes)
    {
        var copy = GC.AllocateUninitializedArray<byte>(bytes.Length);
        bytes.CopyTo(copy);
        return copy;
    }

    /// <summary>The earlier load of exactly these bytes, if any: looked up by the tag the header
    /// claims, then confirmed byte for byte (much cheaper than hashing them again).</summary>
    private static Loaded? FindLoaded(ReadOnlySpan<byte> bytes, CompiledCodeLoading loading)
    {
        if (bytes.Length < MinimumHeader || !HasMagic(bytes)) return null;
        int headerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
        if (headerLength < MinimumHeader || headerLength > bytes.Length) return null;
        Loaded? candidate;
        lock (LoadedCode)
        {
            if (LoadedCode.Count == 0) return null;
            if (!LoadedCode.TryGetValue(LoadKey(BinaryPrimitives.ReadUInt64LittleEndian(bytes[(headerLength - TagLength)..]), loading), out var earlier)
                || !earlier.TryGetTarget(out var code) || !LoadSources.TryGetValue(code, out candidate))
                return null;
        }
        var header = candidate.Header;
        var wasm = candidate.Wasm;
        var image = candidate.Code.Image.Span;
        return bytes.Length == header.Length + wasm.Length + image.Length
            && bytes[..header.Length].SequenceEqual(header)
            && bytes.Slice(header.Length, wasm.Length).SequenceEqual(wasm)
            && bytes[(header.Length + wasm.Length)..].SequenceEqual(image)
            ? candidate : null;
    }

    /// <summary>What <see cref="Load(Engine, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> hands to the caller to make its <see cref="Module"/>.</summary>
    public sealed record ModuleLoadResult(string Name, ModuleDefinition Definition, PersistedCode Code, byte[] Wasm);

    /// <summary>The tag of a file whose header is <paramref name="headerLength"/> bytes long: the payload
    /// hashed first, then the header before the tag with the payload's hash as seed, so every byte
    /// but the tag's own counts.</summary>
    private static ulong ComputeTag(ReadOnlySpan<byte> bytes, int headerLength) =>
        XxHash64.Hash(bytes[..(headerLength - TagLength)], XxHash64.Hash(bytes[headerLength..]));

    private static string LoadKey(ulong tag, CompiledCodeLoading loading)
    {
        Span<byte> bytes = stackalloc byte[9];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, tag);
        bytes[8] = (byte)loading;
        return Hex.Lower(bytes);
    }

    /// <summary>Drops the entries of DynamicMethods loads that were collected (called as the table
    /// doubles, so a host loading many modules over time does not grow it without bound).</summary>
    private static void ForgetCollected()
    {
        List<string>? dead = null;
        foreach (var (key, code) in LoadedCode)
            if (!code.TryGetTarget(out _)) (dead ??= []).Add(key);
        if (dead is not null) foreach (var key in dead) LoadedCode.Remove(key);
    }

    private static int WriteString(Span<byte> span, int position, byte[] value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span[position..], (ushort)value.Length);
        value.CopyTo(span[(position + 2)..]);
        return position + 2 + value.Length;
    }

    private static string ReadString(ReadOnlySpan<byte> bytes, ref int position, int limit)
    {
        if (position + 2 > limit) throw Fail(SerializedModuleError.Corrupted, "the header's fields overrun it");
        int length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[position..]);
        position += 2;
        if (length > MaxStringBytes || position + length > limit) throw Fail(SerializedModuleError.Corrupted, "the header's fields overrun it");
        var value = Encoding.UTF8.GetString(bytes.Slice(position, length));
        position += length;
        return value;
    }

    /// <summary>Module names are informational; a very long one is cut rather than refused.</summary>
    private static string Truncate(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxStringBytes) return name;
        int length = Math.Min(name.Length, MaxStringBytes / 4);
        if (char.IsHighSurrogate(name[length - 1])) length--;
        return name[..length];
    }

    private static SerializedModuleException Fail(SerializedModuleError error, string detail) =>
        new(error, $"{SerializedModuleException.Describe(error)}: {detail}");
}

/// <summary>Lower-case hexadecimal, written out: the framework's vectorised formatter is not
/// precompiled, and JIT-compiling it costs more at start-up than the few bytes it formats.</summary>
internal static class Hex
{
    public static string Lower(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = bytes.Length <= 64 ? stackalloc char[bytes.Length * 2] : new char[bytes.Length * 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = Digit(bytes[i] >> 4);
            chars[2 * i + 1] = Digit(bytes[i] & 15);
        }
        return new string(chars);
    }

    private static char Digit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);
}
