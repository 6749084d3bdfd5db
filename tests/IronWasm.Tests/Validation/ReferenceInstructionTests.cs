using IronWasm.Model;
using static IronWasm.Tests.Validation.Op;

namespace IronWasm.Tests.Validation;

public class ReferenceInstructionTests
{
    private static readonly ValueKind[] None = [];
    private static readonly ValueKind[] I32Result = [ValueKind.I32];

    [Fact]
    public void RefNullHasItsHeapType() =>
        TestModule.Function(None, [ValueKind.ExternRef], RefNull, ExternRef, End).Validate();

    [Fact]
    public void RefNullOfOtherTypeIsATypeMismatch() =>
        TestModule.Function(None, [ValueKind.ExternRef], RefNull, FuncRef, End).AssertInvalid("type mismatch");

    [Fact]
    public void RefIsNullAcceptsAnyReference() =>
        TestModule.Function(None, I32Result, RefNull, ExternRef, RefIsNull, End).Validate();

    [Fact]
    public void RefIsNullRejectsNumbers() =>
        TestModule.Function(None, I32Result, I32Const, 0, RefIsNull, End).AssertInvalid("type mismatch");

    [Fact]
    public void RefFuncOfUndeclaredFunctionIsRejected() =>
        TestModule.Function(RefFunc, 0, Drop, End).AssertInvalid("undeclared function reference");

    [Fact]
    public void RefFuncOfStartFunctionIsStillUndeclared()
    {
        var module = TestModule.Function(RefFunc, 0, Drop, End);
        module.Module.StartFunction = 0;
        module.AssertInvalid("undeclared function reference");
    }

    [Fact]
    public void RefFuncOfImportedButOtherwiseUnmentionedFunctionIsUndeclared()
    {
        var module = new TestModule();
        module.ImportFunction([], []);
        module.AddFunction(Code(RefFunc, 0, Drop, End));
        module.AssertInvalid("undeclared function reference");
    }

    [Fact]
    public void RefFuncOfExportedFunctionIsDeclared()
    {
        var module = TestModule.Function(RefFunc, 0, Drop, End);
        module.Module.Exports.Add(new ExportDefinition("f", ExternalKind.Function, 0));
        module.Validate();
    }

    [Fact]
    public void RefFuncOfFunctionInDeclarativeSegmentIsDeclared()
    {
        var module = TestModule.Function(RefFunc, 0, Drop, End);
        module.Module.Elements.Add(new ElementSegment(SegmentMode.Declarative, ValueKind.FuncRef, 0, null) { FunctionIndices = [0] });
        module.Validate();
    }

    [Fact]
    public void RefFuncOfFunctionInSegmentExpressionIsDeclared()
    {
        var module = TestModule.Function(RefFunc, 0, Drop, End);
        module.Module.Elements.Add(new ElementSegment(SegmentMode.Passive, ValueKind.FuncRef, 0, null)
        {
            Expressions = [TestModule.Constant(RefFunc, 0, End)],
        });
        module.Validate();
    }

    [Fact]
    public void RefFuncOfFunctionReferencedByGlobalIsDeclared()
    {
        var module = new TestModule();
        module.AddFunction(Code(RefFunc, 0, Drop, End));
        module.AddGlobal(ValueKind.FuncRef, false, RefFunc, 0, End);
        module.Validate();
    }

    [Fact]
    public void RefFuncOfMissingFunctionIsUnknown() =>
        TestModule.Function(RefFunc, 9, Drop, End).AssertInvalid("unknown function 9");

    [Fact]
    public void TableGetPushesTheElementType() =>
        TestModule.Function(None, [ValueKind.ExternRef], I32Const, 0, TableGet, 0, End).WithTable(ValueKind.ExternRef).Validate();

    [Fact]
    public void TableSetChecksTheElementType() =>
        TestModule.Function(I32Const, 0, RefNull, FuncRef, TableSet, 0, End).WithTable(ValueKind.ExternRef)
            .AssertInvalid("type mismatch");

    [Fact]
    public void TableGetOfMissingTableIsUnknown() =>
        TestModule.Function(None, [ValueKind.FuncRef], I32Const, 0, TableGet, 0, End).AssertInvalid("unknown table 0");

    [Fact]
    public void TableGrowTakesValueThenCount() =>
        TestModule.Function(None, I32Result, RefNull, FuncRef, I32Const, 1, Prefix, TableGrow, 0, End).WithTable().Validate();

    [Fact]
    public void TableSizeOfSecondTableIsValid() =>
        TestModule.Function(None, I32Result, Prefix, TableSize, 1, End).WithTable().WithTable(ValueKind.ExternRef).Validate();

    [Fact]
    public void TableFillTakesIndexValueAndCount() =>
        TestModule.Function(I32Const, 0, RefNull, ExternRef, I32Const, 1, Prefix, TableFill, 0, End).WithTable(ValueKind.ExternRef).Validate();

    [Fact]
    public void TableFillWithWrongValueTypeIsATypeMismatch() =>
        TestModule.Function(I32Const, 0, RefNull, FuncRef, I32Const, 1, Prefix, TableFill, 0, End).WithTable(ValueKind.ExternRef)
            .AssertInvalid("type mismatch");

    [Fact]
    public void TableCopyBetweenTablesOfDifferentTypesIsATypeMismatch() =>
        TestModule.Function(I32Const, 0, I32Const, 0, I32Const, 0, Prefix, TableCopy, 0, 1, End)
            .WithTable().WithTable(ValueKind.ExternRef).AssertInvalid("type mismatch");

    [Fact]
    public void TableCopyFromMissingTableIsUnknown() =>
        TestModule.Function(I32Const, 0, I32Const, 0, I32Const, 0, Prefix, TableCopy, 0, 1, End)
            .WithTable().AssertInvalid("unknown table 1");

    [Fact]
    public void TableInitOfSegmentWithOtherElementTypeIsATypeMismatch()
    {
        var module = TestModule.Function(I32Const, 0, I32Const, 0, I32Const, 0, Prefix, TableInit, 0, 0, End).WithTable(ValueKind.ExternRef);
        module.Module.Elements.Add(new ElementSegment(SegmentMode.Passive, ValueKind.FuncRef, 0, null) { FunctionIndices = [] });
        module.AssertInvalid("type mismatch");
    }

    [Fact]
    public void TableInitOfMissingSegmentIsUnknown() =>
        TestModule.Function(I32Const, 0, I32Const, 0, I32Const, 0, Prefix, TableInit, 4, 0, End).WithTable()
            .AssertInvalid("unknown elem segment 4");

    [Fact]
    public void ElemDropOfExistingSegmentIsValid()
    {
        var module = TestModule.Function(Prefix, ElemDrop, 0, End);
        module.Module.Elements.Add(new ElementSegment(SegmentMode.Passive, ValueKind.ExternRef, 0, null)
        {
            Expressions = [TestModule.Constant(RefNull, ExternRef, End)],
        });
        module.Validate();
    }

    [Fact]
    public void ElemDropOfMissingSegmentIsUnknown() =>
        TestModule.Function(Prefix, ElemDrop, 0, End).AssertInvalid("unknown elem segment 0");
}
