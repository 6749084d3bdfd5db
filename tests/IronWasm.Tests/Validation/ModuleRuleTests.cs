using IronWasm.Model;
using static IronWasm.Tests.Validation.Op;

namespace IronWasm.Tests.Validation;

public class ModuleRuleTests
{
    [Fact]
    public void EmptyModuleIsValid() => new TestModule().Validate();

    [Fact]
    public void FunctionWithUnknownTypeIsInvalid()
    {
        var module = TestModule.Function(End);
        module.Module.FunctionTypeIndices[0] = 3;
        module.AssertInvalid("unknown type");
    }

    [Fact]
    public void ImportWithUnknownTypeIsInvalid()
    {
        var module = new TestModule();
        module.Module.Imports.Add(new ImportDefinition("m", "f", ExternalKind.Function) { FunctionTypeIndex = 1 });
        module.AssertInvalid("unknown type");
    }

    [Fact]
    public void TwoDefinedMemoriesAreMultipleMemories() =>
        new TestModule().WithMemory().WithMemory().AssertInvalid("multiple memories");

    [Fact]
    public void ImportedAndDefinedMemoryAreMultipleMemories()
    {
        var module = new TestModule().WithMemory();
        module.ImportMemory(0);
        module.AssertInvalid("multiple memories");
    }

    [Fact]
    public void MemoryOfMaximumSizeIsValid() => new TestModule().WithMemory(65536, 65536).Validate();

    [Fact]
    public void MemoryMinimumAboveFourGibibytesIsInvalid() =>
        new TestModule().WithMemory(65537).AssertInvalid("memory size must be at most 65536 pages (4GiB)");

    [Fact]
    public void MemoryMaximumAboveFourGibibytesIsInvalid() =>
        new TestModule().WithMemory(0, 65537).AssertInvalid("memory size must be at most 65536 pages (4GiB)");

    [Fact]
    public void ImportedMemoryLimitsAreChecked()
    {
        var module = new TestModule();
        module.ImportMemory(2, 1);
        module.AssertInvalid("size minimum must not be greater than maximum");
    }

    [Fact]
    public void MemoryMinimumAboveMaximumIsInvalid() =>
        new TestModule().WithMemory(2, 1).AssertInvalid("size minimum must not be greater than maximum");

    [Fact]
    public void TableMinimumAboveMaximumIsInvalid() =>
        new TestModule().WithTable(ValueKind.FuncRef, 10, 9).AssertInvalid("size minimum must not be greater than maximum");

    [Fact]
    public void TableOfMaximumU32SizeIsValid() =>
        new TestModule().WithTable(ValueKind.ExternRef, uint.MaxValue, uint.MaxValue).Validate();

    [Fact]
    public void MultipleTablesAreValid() =>
        new TestModule().WithTable().WithTable(ValueKind.ExternRef).WithTable().Validate();

    [Fact]
    public void DuplicateExportNamesAreInvalid()
    {
        var module = TestModule.Function(End).WithMemory();
        module.Module.Exports.Add(new ExportDefinition("a", ExternalKind.Function, 0));
        module.Module.Exports.Add(new ExportDefinition("a", ExternalKind.Memory, 0));
        module.AssertInvalid("duplicate export name");
    }

    [Fact]
    public void ExportNamesDifferingOnlyInCaseAreDistinct()
    {
        var module = TestModule.Function(End);
        module.Module.Exports.Add(new ExportDefinition("a", ExternalKind.Function, 0));
        module.Module.Exports.Add(new ExportDefinition("A", ExternalKind.Function, 0));
        module.Validate();
    }

    [Theory]
    [InlineData(ExternalKind.Function, "unknown function 1")]
    [InlineData(ExternalKind.Table, "unknown table 1")]
    [InlineData(ExternalKind.Memory, "unknown memory 1")]
    [InlineData(ExternalKind.Global, "unknown global 1")]
    public void ExportOfMissingEntityIsUnknown(ExternalKind kind, string expected)
    {
        var module = TestModule.Function(End).WithMemory().WithTable();
        module.AddGlobal(ValueKind.I32, false, I32Const, 0, End);
        module.Module.Exports.Add(new ExportDefinition("x", kind, 1));
        module.AssertInvalid(expected);
    }

    [Fact]
    public void StartFunctionOfTypeNothingToNothingIsValid()
    {
        var module = TestModule.Function(End);
        module.Module.StartFunction = 0;
        module.Validate();
    }

    [Fact]
    public void StartFunctionWithResultIsInvalid()
    {
        var module = TestModule.Function([], [ValueKind.I32], I32Const, 0, End);
        module.Module.StartFunction = 0;
        module.AssertInvalid("start function");
    }

    [Fact]
    public void StartFunctionWithParameterIsInvalid()
    {
        var module = TestModule.Function([ValueKind.I32], [], End);
        module.Module.StartFunction = 0;
        module.AssertInvalid("start function");
    }

    [Fact]
    public void MissingStartFunctionIsUnknown()
    {
        var module = new TestModule();
        module.Module.StartFunction = 0;
        module.AssertInvalid("unknown function");
    }

    [Fact]
    public void ActiveElementSegmentNeedsItsTable()
    {
        var module = TestModule.Function(End);
        module.Module.Elements.Add(new ElementSegment(SegmentMode.Active, ValueKind.FuncRef, 0, TestModule.Constant(I32Const, 0, End))
        {
            FunctionIndices = [0],
        });
        module.AssertInvalid("unknown table");
    }

    [Fact]
    public void ActiveElementSegmentMustMatchTheTableType()
    {
        var module = TestModule.Function(End).WithTable(ValueKind.ExternRef);
        module.Module.Elements.Add(new ElementSegment(SegmentMode.Active, ValueKind.FuncRef, 0, TestModule.Constant(I32Const, 0, End))
        {
            FunctionIndices = [0],
        });
        module.AssertInvalid("type mismatch");
    }

    [Fact]
    public void ActiveElementSegmentOnSecondTableIsValid()
    {
        var module = TestModule.Function(End).WithTable().WithTable(ValueKind.ExternRef);
        module.Module.Elements.Add(new ElementSegment(SegmentMode.Active, ValueKind.ExternRef, 1, TestModule.Constant(I32Const, 0, End))
        {
            Expressions = [TestModule.Constant(RefNull, ExternRef, End)],
        });
        module.Validate();
    }

    [Fact]
    public void ElementSegmentOffsetMustBeAnI32()
    {
        var module = TestModule.Function(End).WithTable();
        module.Module.Elements.Add(new ElementSegment(SegmentMode.Active, ValueKind.FuncRef, 0, TestModule.Constant(I64Const, 0, End))
        {
            FunctionIndices = [0],
        });
        module.AssertInvalid("type mismatch");
    }

    [Fact]
    public void ElementSegmentOfMissingFunctionIsUnknown()
    {
        var module = new TestModule().WithTable();
        module.Module.Elements.Add(new ElementSegment(SegmentMode.Passive, ValueKind.FuncRef, 0, null) { FunctionIndices = [0] });
        module.AssertInvalid("unknown function 0");
    }

    [Fact]
    public void ElementExpressionsMustHaveTheSegmentType()
    {
        var module = new TestModule();
        module.Module.Elements.Add(new ElementSegment(SegmentMode.Passive, ValueKind.FuncRef, 0, null)
        {
            Expressions = [TestModule.Constant(RefNull, ExternRef, End)],
        });
        module.AssertInvalid("type mismatch");
    }

    [Fact]
    public void ActiveDataSegmentNeedsAMemory()
    {
        var module = new TestModule();
        module.Module.Data.Add(new DataSegment(SegmentMode.Active, 0, TestModule.Constant(I32Const, 0, End), new byte[] { 1 }));
        module.AssertInvalid("unknown memory 0");
    }

    [Fact]
    public void ActiveDataSegmentOffsetMustBeAnI32()
    {
        var module = new TestModule().WithMemory();
        module.Module.Data.Add(new DataSegment(SegmentMode.Active, 0, TestModule.Constant(F32Const, 0, 0, 0, 0, End), new byte[] { 1 }));
        module.AssertInvalid("type mismatch");
    }

    [Fact]
    public void PassiveDataSegmentNeedsNoMemory()
    {
        var module = new TestModule();
        module.Module.Data.Add(new DataSegment(SegmentMode.Passive, 0, null, new byte[] { 1 }));
        module.Validate();
    }
}
