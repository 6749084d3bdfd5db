using IronWasm.Model;
using static IronWasm.Tests.Validation.Op;

namespace IronWasm.Tests.Validation;

public class OperandTypingTests
{
    private static readonly ValueKind[] None = [];
    private static readonly ValueKind[] I32Result = [ValueKind.I32];

    [Fact]
    public void EmptyFunctionIsValid() => TestModule.Function(End).Validate();

    [Fact]
    public void ConstantMatchingTheResultIsValid() =>
        TestModule.Function(None, I32Result, I32Const, 7, End).Validate();

    [Fact]
    public void ResultOfWrongTypeIsATypeMismatch() =>
        TestModule.Function(None, I32Result, I64Const, 7, End).AssertInvalid("type mismatch");

    [Fact]
    public void MissingResultIsATypeMismatch() =>
        TestModule.Function(None, I32Result, End).AssertInvalid("type mismatch");

    [Fact]
    public void ExtraValueAtFunctionEndIsATypeMismatch() =>
        TestModule.Function(I32Const, 1, End).AssertInvalid("type mismatch");

    [Fact]
    public void BinaryOperatorTakesTwoOperandsOfItsType() =>
        TestModule.Function(None, I32Result, I32Const, 1, I32Const, 2, I32Add, End).Validate();

    [Fact]
    public void BinaryOperatorRejectsOperandOfAnotherType() =>
        TestModule.Function(None, I32Result, I32Const, 1, I64Const, 2, I32Add, End).AssertInvalid("type mismatch");

    [Fact]
    public void OperatorWithoutOperandsIsATypeMismatch() =>
        TestModule.Function(None, I32Result, I32Eqz, End).AssertInvalid("type mismatch");

    [Fact]
    public void SaturatingTruncationIsTypedByTheOpcodeTable() =>
        TestModule.Function(None, I32Result, F32Const, 0, 0, 0, 0, Prefix, I32TruncSatF32S, End).Validate();

    [Fact]
    public void SignExtensionIsTypedByTheOpcodeTable() =>
        TestModule.Function(None, [ValueKind.I64], I32Const, 0, I32Extend8S, End).AssertInvalid("type mismatch");

    [Fact]
    public void ErrorReportsFunctionIndexAndOffset()
    {
        var module = new TestModule();
        module.ImportFunction([], []);
        module.AddFunction(Code(End));
        module.AddFunction([], I32Result, Code(Nop, I64Const, 0, End));
        var error = module.AssertInvalid("type mismatch");
        Assert.Equal(2, error.FunctionIndex);
        // The mismatch is found at the end instruction, 3 bytes into the body.
        Assert.Equal(module.Module.Bodies[1].CodeOffset + 3, error.Offset);
    }

    [Fact]
    public void DropDiscardsAnyValue() => TestModule.Function(F64Const, 0, 0, 0, 0, 0, 0, 0, 0, Drop, End).Validate();

    [Fact]
    public void DropOnEmptyStackIsATypeMismatch() => TestModule.Function(Drop, End).AssertInvalid("type mismatch");

    [Fact]
    public void LocalGetPushesTheParameterType() =>
        TestModule.Function([ValueKind.I64], [ValueKind.I64], LocalGet, 0, End).Validate();

    [Fact]
    public void LocalGetOfDeclaredLocalUsesItsRunType() =>
        TestModule.Build(m => m.AddFunction([ValueKind.I32], [ValueKind.F32], Code(LocalGet, 3, End),
            new LocalRun(2, ValueKind.I64), new LocalRun(1, ValueKind.F32))).Validate();

    [Fact]
    public void LocalBeyondDeclaredIsUnknown() =>
        TestModule.Function([ValueKind.I32], None, LocalGet, 1, Drop, End).AssertInvalid("unknown local 1");

    [Fact]
    public void LocalSetChecksTheLocalType() =>
        TestModule.Build(m => m.AddFunction(None, None, Code(F32Const, 0, 0, 0, 0, LocalSet, 0, End),
            new LocalRun(1, ValueKind.I32))).AssertInvalid("type mismatch");

    [Fact]
    public void LocalTeeLeavesTheValue() =>
        TestModule.Build(m => m.AddFunction(None, I32Result, Code(I32Const, 1, LocalTee, 0, End),
            new LocalRun(1, ValueKind.I32))).Validate();

    [Fact]
    public void HugeLocalDeclarationsAreTypedWithoutExpandingThem()
    {
        // 3 billion locals: the last one is an f64, found by searching the runs.
        var module = TestModule.Build(m => m.AddFunction(None, [ValueKind.F64],
            Code(LocalGet, U32(2_999_999_999), End),
            new LocalRun(2_000_000_000, ValueKind.I32), new LocalRun(999_999_999, ValueKind.I64),
            new LocalRun(1, ValueKind.F64)));
        module.Validate();
    }

    [Fact]
    public void HugeLocalDeclarationsStillBoundLocalIndices() =>
        TestModule.Build(m => m.AddFunction(None, None, Code(LocalGet, U32(3_000_000_000), Drop, End),
            new LocalRun(3_000_000_000, ValueKind.I32))).AssertInvalid("unknown local");

    [Fact]
    public void GlobalGetPushesTheGlobalType()
    {
        var module = new TestModule();
        module.AddGlobal(ValueKind.F32, false, F32Const, 0, 0, 0, 0, End);
        module.AddFunction(None, [ValueKind.F32], Code(GlobalGet, 0, End));
        module.Validate();
    }

    [Fact]
    public void GlobalGetOfMissingGlobalIsUnknown() =>
        TestModule.Function(None, I32Result, GlobalGet, 0, End).AssertInvalid("unknown global 0");

    [Fact]
    public void GlobalSetOfImmutableGlobalIsRejected()
    {
        var module = new TestModule();
        module.ImportGlobal(ValueKind.I32, mutable: false);
        module.AddFunction(Code(I32Const, 1, GlobalSet, 0, End));
        module.AssertInvalid("global is immutable");
    }

    [Fact]
    public void GlobalSetOfMutableGlobalIsValid()
    {
        var module = new TestModule();
        module.ImportGlobal(ValueKind.I32, mutable: true);
        module.AddFunction(Code(I32Const, 1, GlobalSet, 0, End));
        module.Validate();
    }

    [Fact]
    public void CallPopsParametersAndPushesResults()
    {
        var module = new TestModule();
        module.ImportFunction([ValueKind.I32, ValueKind.I64], [ValueKind.F32, ValueKind.F64]);
        module.AddFunction(None, [ValueKind.F32, ValueKind.F64], Code(I32Const, 0, I64Const, 0, Call, 0, End));
        module.Validate();
    }

    [Fact]
    public void CallWithArgumentsInWrongOrderIsATypeMismatch()
    {
        var module = new TestModule();
        module.ImportFunction([ValueKind.I32, ValueKind.I64], []);
        module.AddFunction(Code(I64Const, 0, I32Const, 0, Call, 0, End));
        module.AssertInvalid("type mismatch");
    }

    [Fact]
    public void CallOfMissingFunctionIsUnknown() =>
        TestModule.Function(Call, 7, End).AssertInvalid("unknown function 7");

    [Fact]
    public void CallIndirectNeedsATable() =>
        TestModule.Function(I32Const, 0, CallIndirect, 0, 0, End).AssertInvalid("unknown table");

    [Fact]
    public void CallIndirectNeedsAKnownType() =>
        TestModule.Function(I32Const, 0, CallIndirect, 5, 0, End).WithTable().AssertInvalid("unknown type");

    [Fact]
    public void CallIndirectThroughExternrefTableIsATypeMismatch() =>
        TestModule.Function(I32Const, 0, CallIndirect, 0, 0, End).WithTable(ValueKind.ExternRef).AssertInvalid("type mismatch");

    [Fact]
    public void CallIndirectPopsTheIndexThenTheParameters()
    {
        var module = new TestModule().WithTable();
        uint type = module.AddType([ValueKind.I64], [ValueKind.I32]);
        module.AddFunction(None, I32Result, Code(I64Const, 1, I32Const, 0, CallIndirect, (int)type, 0, End));
        module.Validate();
    }

    [Fact]
    public void CallIndirectOnSecondTableIsValid()
    {
        var module = new TestModule().WithTable(ValueKind.ExternRef).WithTable();
        module.AddFunction(Code(I32Const, 0, CallIndirect, 0, 1, End));
        module.Validate();
    }

    [Fact]
    public void UntypedSelectOfNumbersIsValid() =>
        TestModule.Function(None, I32Result, I32Const, 1, I32Const, 2, I32Const, 0, Select, End).Validate();

    [Fact]
    public void UntypedSelectOfDifferentTypesIsATypeMismatch() =>
        TestModule.Function(None, I32Result, I32Const, 1, I64Const, 2, I32Const, 0, Select, End).AssertInvalid("type mismatch");

    [Fact]
    public void UntypedSelectOfReferencesIsATypeMismatch() =>
        TestModule.Function(None, [ValueKind.FuncRef], RefNull, FuncRef, RefNull, FuncRef, I32Const, 0, Select, End)
            .AssertInvalid("type mismatch");

    [Fact]
    public void UntypedSelectOfVectorsIsValid() =>
        TestModule.Function(None, [ValueKind.V128], Code(V128Zero, V128Zero, I32Const, 0, Select, End)).Validate();

    [Fact]
    public void TypedSelectOfReferencesIsValid() =>
        TestModule.Function(None, [ValueKind.ExternRef], RefNull, ExternRef, RefNull, ExternRef, I32Const, 0, SelectTyped, 1, ExternRef, End)
            .Validate();

    [Fact]
    public void TypedSelectWithoutTypesHasInvalidArity() =>
        TestModule.Function(None, I32Result, I32Const, 1, I32Const, 2, I32Const, 0, SelectTyped, 0, End)
            .AssertInvalid("invalid result arity");

    [Fact]
    public void TypedSelectWithTwoTypesHasInvalidArity() =>
        TestModule.Function(None, I32Result, I32Const, 1, I32Const, 2, I32Const, 0, SelectTyped, 2, I32, I32, End)
            .AssertInvalid("invalid result arity");
}
