using System.Buffers.Binary;
using IronWasm.Caching;

namespace IronWasm.Tests.Caching;

/// <summary>Bytes that are not exactly a compiled module this engine made are refused with a
/// <see cref="SerializedModuleException"/> naming the problem, before any code in them is loaded: every
/// truncation, every single-bit flip, trailing bytes, another engine or configuration, garbage, an empty file.</summary>
public sealed class CorruptionTests
{
    private const string Wat = """
        (module (memory 1) (data (i32.const 0) "hello")
          (func $inner (param i32) (result i32) (i32.load8_u (local.get 0)))
          (func (export "f") (param i32) (result i32) (call $inner (local.get 0))))
        """;

    private static readonly Lazy<byte[]> Artifact = new(() => Module.FromText(new Engine(), "corrupt", Wat).Serialize());

    private static SerializedModuleException Refused(byte[] bytes, Engine? engine = null) =>
        Assert.Throws<SerializedModuleException>(() => Module.Deserialize(engine ?? new Engine(), bytes));

    [Fact]
    public void IntactBytesLoad()
    {
        var engine = new Engine();
        var instance = new Linker(engine).Instantiate(new Store(engine), Module.Deserialize(engine, Artifact.Value));
        Assert.Equal((int)'e', instance.GetFunction<int, int>("f")!(1));
    }

    [Fact]
    public void EveryTruncationIsRefused()
    {
        var bytes = Artifact.Value;
        for (int length = 0; length < bytes.Length; length++)
        {
            var error = Refused(bytes[..length]);
            var expected = length == 0 ? SerializedModuleError.NotSerializedModule : SerializedModuleError.Truncated;
            Assert.True(error.Error == expected, $"length {length}: {error.Error}: {error.Message}");
        }
    }

    [Fact]
    public void EveryBitFlipIsRefused()
    {
        var bytes = Artifact.Value;
        var damaged = (byte[])bytes.Clone();
        var seen = new HashSet<SerializedModuleError>();
        for (int i = 0; i < bytes.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                damaged[i] ^= (byte)(1 << bit);
                var error = Refused(damaged);
                seen.Add(error.Error);
                Assert.True(error.Error is SerializedModuleError.Corrupted or SerializedModuleError.Truncated
                    or SerializedModuleError.NotSerializedModule or SerializedModuleError.UnsupportedFormat,
                    $"byte {i} bit {bit}: {error.Error}: {error.Message}");
                damaged[i] = bytes[i];
            }
        }
        Assert.Contains(SerializedModuleError.Corrupted, seen);
    }

    [Fact]
    public void AFlippedPayloadByteIsReportedAsCorruption()
    {
        var damaged = (byte[])Artifact.Value.Clone();
        damaged[^100] ^= 0x10;
        var error = Refused(damaged);
        Assert.Equal(SerializedModuleError.Corrupted, error.Error);
        Assert.Contains("checksum mismatch", error.Message);
    }

    [Fact]
    public void TrailingBytesAreRefused()
    {
        Assert.Equal(SerializedModuleError.Corrupted, Refused([.. Artifact.Value, 0]).Error);
    }

    [Fact]
    public void AnEmptyFileIsNotACompiledModule()
    {
        Assert.Equal(SerializedModuleError.NotSerializedModule, Refused([]).Error);
    }

    [Fact]
    public void AWasmBinaryIsNotACompiledModule()
    {
        var error = Refused(IronWasm.Text.WatParser.ParseModule(Wat));
        Assert.Equal(SerializedModuleError.NotSerializedModule, error.Error);
        Assert.Contains("WebAssembly binary", error.Message);
    }

    [Fact]
    public void GarbageIsRefused()
    {
        var random = new Random(1234);
        for (int i = 0; i < 200; i++)
        {
            var garbage = new byte[random.Next(0, 4096)];
            random.NextBytes(garbage);
            var error = Refused(garbage).Error;
            if (garbage.Length == 0 || garbage[0] != 0x89) Assert.Equal(SerializedModuleError.NotSerializedModule, error);
            // With the right magic in front, the rest of the header does not hold up either.
            var withMagic = (byte[])garbage.Clone();
            if (withMagic.Length >= 8) ModuleArtifact.Magic.CopyTo(withMagic);
            Assert.NotEqual(SerializedModuleError.InvalidCode, Refused(withMagic).Error);
        }
    }

    [Fact]
    public void AnotherFormatVersionIsRefusedAsUnsupported()
    {
        var bytes = (byte[])Artifact.Value.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), ModuleArtifact.FormatVersion + 1);
        var error = Refused(bytes);
        Assert.Equal(SerializedModuleError.UnsupportedFormat, error.Error);
        Assert.Contains($"format version {ModuleArtifact.FormatVersion + 1}", error.Message);
    }

    [Fact]
    public void AnotherEngineVersionIsRefused()
    {
        // Well-formed and correctly checksummed, but made by another build.
        var bytes = Rewrite(Artifact.Value, engineIdentity: "IronWasm 0.0.1; build 00000000000000000000000000000000; .NET 10.0.0");
        var error = Refused(bytes);
        Assert.Equal(SerializedModuleError.EngineMismatch, error.Error);
        Assert.Contains("IronWasm 0.0.1", error.Message);
    }

    [Fact]
    public void AnotherConfigurationIsRefused()
    {
        var fuelEngine = new Engine(new Config().WithFuelConsumption(true));
        var withFuel = Module.FromText(fuelEngine, "m", Wat).Serialize();
        var error = Refused(withFuel, new Engine());
        Assert.Equal(SerializedModuleError.ConfigurationMismatch, error.Error);
        Assert.Contains("fuel consumption on", error.Message);
        Assert.Equal(SerializedModuleError.ConfigurationMismatch, Refused(Artifact.Value, fuelEngine).Error);
        Assert.Equal(SerializedModuleError.ConfigurationMismatch, Refused(Artifact.Value, new Engine(new Config().WithEpochInterruption(true))).Error);
    }

    [Fact]
    public void SettingsThatDoNotChangeCodeDoNotMatter()
    {
        var engine = new Engine(new Config().WithMaxCallDepth(100));
        Assert.NotNull(Module.Deserialize(engine, Artifact.Value));
    }

    [Fact]
    public void CodeThatDoesNotMatchItsModuleIsRefusedWithoutCrashing()
    {
        // A forger who recomputes the checksum can pair a module with code for another module; the
        // loader's consistency checks still refuse it rather than fail later.
        var other = Module.FromText(new Engine(), "other", "(module (func (export \"g\")))").Serialize();
        var otherImage = ModuleArtifact.Verify(other);
        var mine = ModuleArtifact.Verify(Artifact.Value);
        var forged = ModuleArtifact.Write(new ModuleArtifact.Contents(mine.EngineIdentity, mine.Fingerprint, mine.Name,
            Artifact.Value.AsSpan(mine.WasmOffset, mine.WasmLength).ToArray(),
            other.AsMemory(otherImage.ImageOffset, otherImage.ImageLength), otherImage.FirstMethodToken, mine.FunctionCount));
        Assert.Equal(SerializedModuleError.InvalidCode, Refused(forged).Error);
    }

    /// <summary>The artifact with header fields replaced and the checksum recomputed.</summary>
    internal static byte[] Rewrite(byte[] artifact, string? engineIdentity = null, uint? fingerprint = null, byte[]? wasm = null)
    {
        var verified = ModuleArtifact.Verify(artifact);
        var originalWasm = artifact.AsSpan(verified.WasmOffset, verified.WasmLength).ToArray();
        return ModuleArtifact.Write(new ModuleArtifact.Contents(engineIdentity ?? verified.EngineIdentity, fingerprint ?? verified.Fingerprint,
            verified.Name, wasm ?? originalWasm,
            artifact.AsMemory(verified.ImageOffset, verified.ImageLength), verified.FirstMethodToken, verified.FunctionCount));
    }
}
