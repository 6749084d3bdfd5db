using static IronWasm.Tests.Validation.Op;

namespace IronWasm.Tests.Validation;

public class SimdInstructionTests
{
    private static readonly ValueKind[] None = [];
    private static readonly ValueKind[] V128Result = [ValueKind.V128];

    // 0xFD sub-opcodes below 0x80 are single-byte LEB128s.
    private const byte V128Load = 0x00, V128Load64Splat = 0x0A, V128Store = 0x0B, I8x16Shuffle = 0x0D;
    private const byte I8x16ExtractLaneS = 0x15, I16x8ReplaceLane = 0x1A, I64x2ExtractLane = 0x1D, F64x2ReplaceLane = 0x22;
    private const byte V128Load8Lane = 0x54, V128Store64Lane = 0x5B, V128Bitselect = 0x52;
    private static readonly byte[] I32x4Add = [Simd, 0xAE, 0x01];

    [Fact]
    public void VectorArithmeticIsTypedByTheOpcodeTable() =>
        TestModule.Function(None, V128Result, Code(V128Zero, V128Zero, I32x4Add, End)).Validate();

    [Fact]
    public void VectorArithmeticRejectsScalars() =>
        TestModule.Function(None, V128Result, Code(V128Zero, I32Const, 0, I32x4Add, End)).AssertInvalid("type mismatch");

    [Fact]
    public void BitselectTakesThreeVectors() =>
        TestModule.Function(None, V128Result, Code(V128Zero, V128Zero, V128Zero, Simd, V128Bitselect, End)).Validate();

    [Fact]
    public void ExtractLaneBelowLaneCountIsValid() =>
        TestModule.Function(None, [ValueKind.I32], Code(V128Zero, Simd, I8x16ExtractLaneS, 15, End)).Validate();

    [Fact]
    public void ExtractLaneAtLaneCountIsInvalid() =>
        TestModule.Function(None, [ValueKind.I32], Code(V128Zero, Simd, I8x16ExtractLaneS, 16, End)).AssertInvalid("invalid lane index");

    [Fact]
    public void I64x2HasTwoLanes() =>
        TestModule.Function(None, [ValueKind.I64], Code(V128Zero, Simd, I64x2ExtractLane, 2, End)).AssertInvalid("invalid lane index");

    [Fact]
    public void ReplaceLaneTakesVectorThenScalar() =>
        TestModule.Function(None, V128Result, Code(V128Zero, I32Const, 1, Simd, I16x8ReplaceLane, 7, End)).Validate();

    [Fact]
    public void ReplaceLaneChecksTheScalarType() =>
        TestModule.Function(None, V128Result, Code(V128Zero, I32Const, 1, Simd, F64x2ReplaceLane, 1, End)).AssertInvalid("type mismatch");

    [Fact]
    public void ShuffleLanesMaySelectFromBothInputs() =>
        TestModule.Function(None, V128Result,
            Code(V128Zero, V128Zero, Simd, I8x16Shuffle, 0, 31, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, End)).Validate();

    [Fact]
    public void ShuffleLaneBeyondBothInputsIsInvalid() =>
        TestModule.Function(None, V128Result,
            Code(V128Zero, V128Zero, Simd, I8x16Shuffle, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 32, End))
            .AssertInvalid("invalid lane index");

    [Fact]
    public void VectorLoadAllowsSixteenByteAlignment() =>
        TestModule.Function(None, V128Result, I32Const, 0, Simd, V128Load, 4, 0, End).WithMemory().Validate();

    [Fact]
    public void VectorLoadBeyondSixteenByteAlignmentIsInvalid() =>
        TestModule.Function(None, V128Result, I32Const, 0, Simd, V128Load, 5, 0, End).WithMemory()
            .AssertInvalid("alignment must not be larger than natural");

    [Fact]
    public void SplatLoadAlignmentIsBoundedByTheLaneWidth() =>
        TestModule.Function(None, V128Result, I32Const, 0, Simd, V128Load64Splat, 4, 0, End).WithMemory()
            .AssertInvalid("alignment must not be larger than natural");

    [Fact]
    public void VectorStoreNeedsAMemory() =>
        TestModule.Function(Code(I32Const, 0, V128Zero, Simd, V128Store, 4, 0, End)).AssertInvalid("unknown memory");

    [Fact]
    public void LoadLaneChecksAlignmentAndLane() =>
        TestModule.Function(None, V128Result, Code(I32Const, 0, V128Zero, Simd, V128Load8Lane, 0, 0, 15, End)).WithMemory().Validate();

    [Fact]
    public void LoadLaneBeyondLaneCountIsInvalid() =>
        TestModule.Function(None, V128Result, Code(I32Const, 0, V128Zero, Simd, V128Load8Lane, 0, 0, 16, End)).WithMemory()
            .AssertInvalid("invalid lane index");

    [Fact]
    public void LoadLaneAlignmentIsBoundedByTheLaneWidth() =>
        TestModule.Function(None, V128Result, Code(I32Const, 0, V128Zero, Simd, V128Load8Lane, 1, 0, 0, End)).WithMemory()
            .AssertInvalid("alignment must not be larger than natural");

    [Fact]
    public void StoreLaneOfSixtyFourBitLanesHasTwoLanes() =>
        TestModule.Function(Code(I32Const, 0, V128Zero, Simd, V128Store64Lane, 3, 0, 2, End)).WithMemory()
            .AssertInvalid("invalid lane index");
}
