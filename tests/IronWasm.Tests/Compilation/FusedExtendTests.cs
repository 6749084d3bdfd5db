namespace IronWasm.Tests.Compilation;

/// <summary>i16x8.extend_low_i8x16 directly followed by i32x4.extend_low_i16x8 (same signedness)
/// compiles to one widening of bytes to 32 bits; it must give the lanes the two steps give, leave
/// other sequences alone and charge the fuel of two instructions.</summary>
public class FusedExtendTests
{
    private const string Bytes = "(v128.const i8x16 0x00 0x7F 0x80 0xFF 0x01 0xFE 0x40 0xC0 9 9 9 9 9 9 9 9)";

    private static int[] Lanes(string body, Config? config = null, Store? store = null)
    {
        var wat = $$"""
            (module (memory (export "m") 1)
              (func (export "f") (v128.store (i32.const 0) {{body}})))
            """;
        var instance = store is null ? Wasm.Instantiate(wat, config) : Wasm.Instantiate(wat, store);
        instance.GetAction("f")!();
        var bytes = instance.GetMemory("m")!.GetSpan()[..16].ToArray();
        return Enumerable.Range(0, 4).Select(i => BitConverter.ToInt32(bytes, i * 4)).ToArray();
    }

    [Fact]
    public void UnsignedPairZeroExtendsTheLowFourBytes()
    {
        Assert.Equal(new[] { 0x00, 0x7F, 0x80, 0xFF }, Lanes($"(i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u {Bytes}))"));
    }

    [Fact]
    public void SignedPairSignExtendsTheLowFourBytes()
    {
        Assert.Equal(new[] { 0, 127, -128, -1 }, Lanes($"(i32x4.extend_low_i16x8_s (i16x8.extend_low_i8x16_s {Bytes}))"));
    }

    [Fact]
    public void MixedSignednessIsNotFused()
    {
        // Bytes zero-extended to 16 bits are non-negative, so a signed second step keeps them.
        Assert.Equal(new[] { 0x00, 0x7F, 0x80, 0xFF }, Lanes($"(i32x4.extend_low_i16x8_s (i16x8.extend_low_i8x16_u {Bytes}))"));
        // Bytes sign-extended to 16 bits, then zero-extended: 0x80 becomes 0xFF80.
        Assert.Equal(new[] { 0x0000, 0x007F, 0xFF80, 0xFFFF }, Lanes($"(i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_s {Bytes}))"));
    }

    [Fact]
    public void PairWithAnInstructionBetweenIsComputedStepByStep()
    {
        // The 16-bit lanes are doubled in between: (0x80 * 2) = 0x100 does not fit a byte.
        Assert.Equal(new[] { 0x000, 0x0FE, 0x100, 0x1FE }, Lanes($"""
            (i32x4.extend_low_i16x8_u
              (i16x8.shl (i16x8.extend_low_i8x16_u {Bytes}) (i32.const 1)))
            """));
    }

    [Fact]
    public void HighHalvesAreNotTakenForTheLowOnes()
    {
        Assert.Equal(new[] { 0x01, 0xFE, 0x40, 0xC0 }, Lanes($"(i32x4.extend_high_i16x8_u (i16x8.extend_low_i8x16_u {Bytes}))"));
        Assert.Equal(new[] { 9, 9, 9, 9 }, Lanes($"(i32x4.extend_low_i16x8_u (i16x8.extend_high_i8x16_u {Bytes}))"));
    }

    [Fact]
    public void FusedPairIsChargedAsTwoInstructions()
    {
        long Used(string body)
        {
            var store = new Store(new Engine(new Config().WithFuelConsumption(true))) { Fuel = 1_000 };
            Lanes(body, store: store);
            return 1_000 - store.Fuel;
        }
        long fused = Used($"(i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u {Bytes}))");
        long separate = Used($"(i32x4.extend_low_i16x8_s (i16x8.extend_low_i8x16_u {Bytes}))");
        Assert.Equal(separate, fused);
    }
}
