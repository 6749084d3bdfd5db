using static IronWasm.Tests.Validation.Op;

namespace IronWasm.Tests.Validation;

/// <summary>The polymorphic operand stack after unreachable, br, br_table and return.</summary>
public class UnreachableCodeTests
{
    private static readonly ValueKind[] None = [];
    private static readonly ValueKind[] I32Result = [ValueKind.I32];

    [Fact]
    public void UnreachableSatisfiesAnyResult() =>
        TestModule.Function(None, [ValueKind.F64, ValueKind.I32], Unreachable, End).Validate();

    [Fact]
    public void OperatorAfterUnreachableTakesUnknownOperands() =>
        TestModule.Function(None, I32Result, Unreachable, I32Add, End).Validate();

    [Fact]
    public void KnownOperandsAfterUnreachableAreStillChecked() =>
        TestModule.Function(None, I32Result, Unreachable, I64Const, 0, I32Add, End).AssertInvalid("type mismatch");

    [Fact]
    public void ResultsPushedAfterUnreachableAreStillChecked() =>
        TestModule.Function(None, I32Result, Unreachable, I64Const, 0, End).AssertInvalid("type mismatch");

    [Fact]
    public void ValuesLeftOverAfterUnreachableAreATypeMismatch() =>
        TestModule.Function(Unreachable, I32Const, 0, End).AssertInvalid("type mismatch");

    [Fact]
    public void ValuesBeforeUnreachableAreDiscarded() =>
        TestModule.Function(I32Const, 0, Unreachable, End).Validate();

    [Fact]
    public void PolymorphismEndsWithTheBlock() =>
        TestModule.Function(Block, Empty, Unreachable, End, I32Add, Drop, End).AssertInvalid("type mismatch");

    [Fact]
    public void BranchMakesTheRestOfTheBlockPolymorphic() =>
        TestModule.Function(None, I32Result, Block, I32, I32Const, 0, Br, 0, F32Add, Drop, I32Const, 0, End, End).Validate();

    [Fact]
    public void ReturnMakesTheRestOfTheBlockPolymorphic() =>
        TestModule.Function(None, I32Result, I32Const, 0, Return, I32Add, End).Validate();

    [Fact]
    public void UntypedSelectOfUnknownsPushesAnUnknown() =>
        // The unknown result of select is then accepted by ref.is_null (unreached-valid.wast).
        TestModule.Function(Unreachable, Select, RefIsNull, Drop, End).Validate();

    [Fact]
    public void UntypedSelectTakesTheTypeOfTheKnownOperand() =>
        TestModule.Function(None, I32Result, Unreachable, I64Const, 0, I32Const, 0, Select, End).AssertInvalid("type mismatch");

    [Fact]
    public void UntypedSelectOfUnknownStillLeavesAValue() =>
        TestModule.Function(Unreachable, Select, End).AssertInvalid("type mismatch");

    [Fact]
    public void UntypedSelectOfKnownReferenceIsATypeMismatchEvenWhenUnreachable() =>
        TestModule.Function(Unreachable, RefNull, FuncRef, I32Const, 0, Select, Drop, End).AssertInvalid("type mismatch");

    [Fact]
    public void BrTableInUnreachableCodeAcceptsLabelsOfDifferentTypesButSameArity() =>
        // "meet-bottom" of unreached-valid.wast.
        TestModule.Function(
            Block, F64, Block, F32, Unreachable, I32Const, 1, BrTable, 2, 0, 1, 1, End, Drop, F64Const, 0, 0, 0, 0, 0, 0, 0, 0, End, Drop, End)
            .Validate();

    [Fact]
    public void BrTableInUnreachableCodeStillChecksKnownOperands() =>
        TestModule.Function(
            Block, F64, Block, F32, Unreachable, I64Const, 0, I32Const, 1, BrTable, 1, 0, 1, End, Drop, F64Const, 0, 0, 0, 0, 0, 0, 0, 0, End, Drop, End)
            .AssertInvalid("type mismatch");

    [Fact]
    public void BrIfAfterUnreachablePushesTheLabelTypes() =>
        TestModule.Function(Block, I64, Unreachable, BrIf, 0, I32Add, Drop, Unreachable, End, Drop, End).AssertInvalid("type mismatch");

    [Fact]
    public void NestedBlockInUnreachableCodeIsNotPolymorphic() =>
        TestModule.Function(Unreachable, Block, Empty, I32Add, Drop, End, End).AssertInvalid("type mismatch");
}
