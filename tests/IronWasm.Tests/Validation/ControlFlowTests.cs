using static IronWasm.Tests.Validation.Op;

namespace IronWasm.Tests.Validation;

public class ControlFlowTests
{
    private static readonly ValueKind[] None = [];
    private static readonly ValueKind[] I32Result = [ValueKind.I32];

    [Fact]
    public void BlockWithValueResultIsValid() =>
        TestModule.Function(None, I32Result, Block, I32, I32Const, 1, End, End).Validate();

    [Fact]
    public void BlockLeavingNothingForItsResultIsATypeMismatch() =>
        TestModule.Function(None, I32Result, Block, I32, End, End).AssertInvalid("type mismatch");

    [Fact]
    public void BlockCannotReachOperandsOutsideIt() =>
        TestModule.Function(None, I32Result, I32Const, 1, Block, I32, End, End).AssertInvalid("type mismatch");

    [Fact]
    public void BlockLeavingExtraValuesIsATypeMismatch() =>
        TestModule.Function(Block, Empty, I32Const, 1, End, End).AssertInvalid("type mismatch");

    [Fact]
    public void MultiValueBlockTakesParametersFromTheStack()
    {
        var module = new TestModule();
        uint type = module.AddType([ValueKind.I32, ValueKind.I64], [ValueKind.I64, ValueKind.I32]);
        // block (param i32 i64) (result i64 i32): drop the i64, tee the i32 through a local-free swap.
        module.AddFunction(None, [ValueKind.I64, ValueKind.I32],
            Code(I32Const, 1, I64Const, 2, Block, (int)type, Drop, Drop, I64Const, 3, I32Const, 4, End, End));
        module.Validate();
    }

    [Fact]
    public void MultiValueBlockParametersMustBeOnTheStack()
    {
        var module = new TestModule();
        uint type = module.AddType([ValueKind.I32, ValueKind.I64], []);
        module.AddFunction(Code(I64Const, 2, I32Const, 1, Block, (int)type, Drop, Drop, End, End));
        module.AssertInvalid("type mismatch");
    }

    [Fact]
    public void BlockTypeIndexMustExist() =>
        TestModule.Function(Block, 0x05, End, End).AssertInvalid("unknown type");

    [Fact]
    public void LoopLabelTakesTheLoopParameters()
    {
        var module = new TestModule();
        uint type = module.AddType([ValueKind.I32], [ValueKind.I32]);
        // loop (param i32) (result i32): br 0 needs an i32, the loop's parameter, not its result.
        module.AddFunction(None, I32Result, Code(I32Const, 1, Loop, (int)type, Br, 0, End, End));
        module.Validate();
    }

    [Fact]
    public void BranchToLoopWithoutParametersTakesNothing() =>
        TestModule.Function(None, I32Result, Loop, I32, Br, 0, End, End).Validate();

    [Fact]
    public void BranchToBlockNeedsItsResults() =>
        TestModule.Function(None, I32Result, Block, I32, Br, 0, End, End).AssertInvalid("type mismatch");

    [Fact]
    public void BranchToMissingLabelIsUnknown() =>
        TestModule.Function(Block, Empty, Br, 2, End, End).AssertInvalid("unknown label");

    [Fact]
    public void BranchToFunctionLabelIsAReturn() =>
        TestModule.Function(None, I32Result, I32Const, 1, Br, 0, End).Validate();

    [Fact]
    public void BrIfLeavesTheLabelValuesOnTheStack() =>
        TestModule.Function(None, I32Result, Block, I32, I32Const, 1, I32Const, 0, BrIf, 0, End, End).Validate();

    [Fact]
    public void BrIfNeedsAnI32Condition() =>
        TestModule.Function(Block, Empty, I64Const, 0, BrIf, 0, End, End).AssertInvalid("type mismatch");

    [Fact]
    public void BrTableTargetsOfEqualArityAreValid() =>
        TestModule.Function(None, I32Result,
            Block, I32, Block, I32, I32Const, 5, I32Const, 0, BrTable, 1, 0, 1, End, End, End).Validate();

    [Fact]
    public void BrTableTargetsOfDifferentArityAreATypeMismatch() =>
        TestModule.Function(
            Block, Empty, Block, I32, I32Const, 5, I32Const, 0, BrTable, 1, 0, 1, End, Drop, End, End)
            .AssertInvalid("type mismatch");

    [Fact]
    public void BrTableTargetsOfDifferentTypesAreATypeMismatch() =>
        TestModule.Function(
            Block, F32, Block, I32, I32Const, 5, I32Const, 0, BrTable, 1, 0, 1, End, Drop, F32Const, 0, 0, 0, 0, End, Drop, End)
            .AssertInvalid("type mismatch");

    [Fact]
    public void BrTableWithUnknownTargetIsUnknownLabel() =>
        TestModule.Function(Block, Empty, I32Const, 0, BrTable, 1, 3, 0, End, End).AssertInvalid("unknown label");

    [Fact]
    public void BrTableWithManyTargetsIsValid()
    {
        var targets = new List<byte>();
        for (int i = 0; i < 300; i++) targets.Add((byte)(i % 2));
        TestModule.Function(Code(Block, Empty, Block, Empty, I32Const, 0, BrTable, U32(300), targets.ToArray(), 0, End, End, End))
            .Validate();
    }

    [Fact]
    public void ReturnNeedsTheFunctionResults() =>
        TestModule.Function(None, I32Result, Block, Empty, Return, End, I32Const, 0, End).AssertInvalid("type mismatch");

    [Fact]
    public void ReturnFromNestedBlockIsValid() =>
        TestModule.Function(None, I32Result, Block, Empty, I32Const, 1, Return, End, I32Const, 0, End).Validate();

    [Fact]
    public void IfWithElseProducesItsResult() =>
        TestModule.Function(None, I32Result, I32Const, 1, If, I32, I32Const, 2, Else, I32Const, 3, End, End).Validate();

    [Fact]
    public void IfNeedsAnI32Condition() =>
        TestModule.Function(I64Const, 1, If, Empty, End, End).AssertInvalid("type mismatch");

    [Fact]
    public void IfWithResultButNoElseIsATypeMismatch() =>
        TestModule.Function(None, I32Result, I32Const, 1, If, I32, I32Const, 2, End, End).AssertInvalid("type mismatch");

    [Fact]
    public void IfWithoutElseWhoseParametersEqualResultsIsValid()
    {
        var module = new TestModule();
        uint type = module.AddType([ValueKind.I32], [ValueKind.I32]);
        module.AddFunction(None, I32Result, Code(I32Const, 7, I32Const, 1, If, (int)type, End, End));
        module.Validate();
    }

    [Fact]
    public void ElseBranchStartsAgainFromTheParameters()
    {
        var module = new TestModule();
        uint type = module.AddType([ValueKind.I32], [ValueKind.I64]);
        module.AddFunction(None, [ValueKind.I64],
            Code(I32Const, 7, I32Const, 1, If, (int)type, Drop, I64Const, 1, Else, Drop, I64Const, 2, End, End));
        module.Validate();
    }

    [Fact]
    public void ElseBranchWithWrongResultIsATypeMismatch() =>
        TestModule.Function(None, I32Result, I32Const, 1, If, I32, I32Const, 2, Else, I64Const, 3, End, End)
            .AssertInvalid("type mismatch");

    [Fact]
    public void ElseOutsideIfIsMalformed() =>
        Assert.Throws<WasmFormatException>(() => TestModule.Function(Block, Empty, Else, End, End).Validate());

    [Fact]
    public void BodyWithoutFinalEndIsMalformed() =>
        Assert.Throws<WasmFormatException>(() => TestModule.Function(Block, Empty, End).Validate());

    [Fact]
    public void InstructionsAfterTheFinalEndAreMalformed() =>
        Assert.Throws<WasmFormatException>(() => TestModule.Function(End, Nop).Validate());
}
