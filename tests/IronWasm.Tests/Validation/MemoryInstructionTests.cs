using IronWasm.Model;
using static IronWasm.Tests.Validation.Op;

namespace IronWasm.Tests.Validation;

public class MemoryInstructionTests
{
    private static readonly ValueKind[] None = [];
    private static readonly ValueKind[] I32Result = [ValueKind.I32];

    [Fact]
    public void LoadWithNaturalAlignmentIsValid() =>
        TestModule.Function(None, I32Result, I32Const, 0, I32Load, 2, 0, End).WithMemory().Validate();

    [Fact]
    public void LoadWithSmallerAlignmentIsValid() =>
        TestModule.Function(None, [ValueKind.I64], I32Const, 0, I64Load, 0, 0, End).WithMemory().Validate();

    [Fact]
    public void LoadAlignedBeyondNaturalIsInvalid() =>
        TestModule.Function(None, I32Result, I32Const, 0, I32Load, 3, 0, End).WithMemory()
            .AssertInvalid("alignment must not be larger than natural");

    [Fact]
    public void NarrowLoadAlignmentIsBoundedByItsWidth() =>
        TestModule.Function(None, I32Result, I32Const, 0, I32Load8U, 1, 0, End).WithMemory()
            .AssertInvalid("alignment must not be larger than natural");

    [Fact]
    public void NarrowStoreAlignmentIsBoundedByItsWidth() =>
        TestModule.Function(I32Const, 0, I64Const, 0, I64Store8, 1, 0, End).WithMemory()
            .AssertInvalid("alignment must not be larger than natural");

    [Fact]
    public void LoadWithoutMemoryIsUnknownMemory() =>
        TestModule.Function(None, I32Result, I32Const, 0, I32Load, 2, 0, End).AssertInvalid("unknown memory 0");

    [Fact]
    public void ImportedMemoryServesLoads()
    {
        var module = new TestModule();
        module.ImportMemory(1);
        module.AddFunction(None, I32Result, Code(I32Const, 0, I32Load, 2, 0, End));
        module.Validate();
    }

    [Fact]
    public void StoreTakesAddressThenValue() =>
        TestModule.Function(I32Const, 0, I32Const, 1, I32Store, 2, 0, End).WithMemory().Validate();

    [Fact]
    public void StoreWithOperandsSwappedIsATypeMismatch() =>
        TestModule.Function(I64Const, 0, I32Const, 1, I64Store8, 0, 0, End).WithMemory().AssertInvalid("type mismatch");

    [Fact]
    public void MemorySizeAndGrowNeedAMemory() =>
        TestModule.Function(None, I32Result, MemorySize, 0, End).AssertInvalid("unknown memory");

    [Fact]
    public void MemoryGrowTakesAndReturnsAnI32() =>
        TestModule.Function(None, I32Result, I32Const, 1, MemoryGrow, 0, End).WithMemory().Validate();

    [Fact]
    public void MemoryFillNeedsThreeI32s() =>
        TestModule.Function(I32Const, 0, I32Const, 0, I64Const, 0, Prefix, MemoryFill, 0, End).WithMemory()
            .AssertInvalid("type mismatch");

    [Fact]
    public void MemoryCopyWithoutMemoryIsUnknownMemory() =>
        TestModule.Function(I32Const, 0, I32Const, 0, I32Const, 0, Prefix, MemoryCopy, 0, 0, End).AssertInvalid("unknown memory 0");

    [Fact]
    public void MemoryInitOfExistingSegmentIsValid()
    {
        var module = TestModule.Function(I32Const, 0, I32Const, 0, I32Const, 0, Prefix, MemoryInit, 0, 0, End).WithMemory();
        module.Module.Data.Add(new DataSegment(SegmentMode.Passive, 0, null, new byte[] { 1 }));
        module.Module.DataCount = 1;
        module.Validate();
    }

    [Fact]
    public void MemoryInitOfMissingSegmentIsUnknownDataSegment()
    {
        var module = TestModule.Function(I32Const, 0, I32Const, 0, I32Const, 0, Prefix, MemoryInit, 1, 0, End).WithMemory();
        module.Module.Data.Add(new DataSegment(SegmentMode.Passive, 0, null, new byte[] { 1 }));
        module.Module.DataCount = 1;
        module.AssertInvalid("unknown data segment 1");
    }

    [Fact]
    public void MemoryInitWithoutMemoryIsUnknownMemoryBeforeTheSegmentIsChecked() =>
        TestModule.Function(I32Const, 0, I32Const, 0, I32Const, 0, Prefix, MemoryInit, 0, 0, End).AssertInvalid("unknown memory 0");

    [Fact]
    public void DataDropOfMissingSegmentIsUnknownDataSegment() =>
        TestModule.Function(Prefix, DataDrop, 0, End).AssertInvalid("unknown data segment");
}
