using static IronWasm.Tests.Validation.Op;

namespace IronWasm.Tests.Validation;

public class ConstantExpressionTests
{
    private static TestModule Global(ValueKind type, params byte[] initializer)
    {
        var module = new TestModule();
        module.AddGlobal(type, false, initializer);
        return module;
    }

    [Fact]
    public void NumericConstantsAreConstant() => Global(ValueKind.I64, I64Const, 0x7F, End).Validate();

    [Fact]
    public void VectorConstantIsConstant() => Global(ValueKind.V128, Code(V128Zero, End)).Validate();

    [Fact]
    public void RefNullIsConstant() => Global(ValueKind.ExternRef, RefNull, ExternRef, End).Validate();

    [Fact]
    public void InitializerOfWrongTypeIsATypeMismatch() => Global(ValueKind.I32, I64Const, 0, End).AssertInvalid("type mismatch");

    [Fact]
    public void EmptyInitializerIsATypeMismatch() => Global(ValueKind.I32, End).AssertInvalid("type mismatch");

    [Fact]
    public void InitializerLeavingTwoValuesIsATypeMismatch() =>
        Global(ValueKind.I32, I32Const, 0, I32Const, 0, End).AssertInvalid("type mismatch");

    [Fact]
    public void ArithmeticIsNotConstant() =>
        Global(ValueKind.I32, I32Const, 0, I32Const, 0, I32Add, End).AssertInvalid("constant expression required");

    [Fact]
    public void NopIsNotConstant() => Global(ValueKind.I32, Nop, I32Const, 0, End).AssertInvalid("constant expression required");

    [Fact]
    public void LocalGetIsNotConstant() => Global(ValueKind.I32, LocalGet, 0, End).AssertInvalid("constant expression required");

    [Fact]
    public void GlobalGetOfImmutableImportIsConstant()
    {
        var module = new TestModule();
        module.ImportGlobal(ValueKind.F32, mutable: false);
        module.AddGlobal(ValueKind.F32, true, GlobalGet, 0, End);
        module.Validate();
    }

    [Fact]
    public void GlobalGetOfMutableImportIsNotConstant()
    {
        var module = new TestModule();
        module.ImportGlobal(ValueKind.I32, mutable: true);
        module.AddGlobal(ValueKind.I32, false, GlobalGet, 0, End);
        module.AssertInvalid("constant expression required");
    }

    [Fact]
    public void GlobalGetOfDefinedGlobalIsUnknown()
    {
        var module = new TestModule();
        module.AddGlobal(ValueKind.I32, false, I32Const, 0, End);
        module.AddGlobal(ValueKind.I32, false, GlobalGet, 0, End);
        module.AssertInvalid("unknown global 0");
    }

    [Fact]
    public void GlobalGetOfImportWithWrongTypeIsATypeMismatch()
    {
        var module = new TestModule();
        module.ImportGlobal(ValueKind.I64, mutable: false);
        module.AddGlobal(ValueKind.I32, false, GlobalGet, 0, End);
        module.AssertInvalid("type mismatch");
    }

    [Fact]
    public void DataOffsetMayReadAnImmutableImportedGlobal()
    {
        var module = new TestModule().WithMemory();
        module.ImportGlobal(ValueKind.I32, mutable: false);
        module.Module.Data.Add(new Model.DataSegment(Model.SegmentMode.Active, 0, TestModule.Constant(GlobalGet, 0, End), new byte[] { 1 }));
        module.Validate();
    }

    [Fact]
    public void DataOffsetCannotReadADefinedGlobal()
    {
        var module = new TestModule().WithMemory();
        module.AddGlobal(ValueKind.I32, false, I32Const, 0, End);
        module.Module.Data.Add(new Model.DataSegment(Model.SegmentMode.Active, 0, TestModule.Constant(GlobalGet, 0, End), new byte[] { 1 }));
        module.AssertInvalid("unknown global");
    }

    [Fact]
    public void RefFuncOfMissingFunctionIsUnknown() => Global(ValueKind.FuncRef, RefFunc, 0, End).AssertInvalid("unknown function 0");

    [Fact]
    public void InitializerWithoutEndIsMalformed() =>
        Assert.Throws<WasmFormatException>(() => Global(ValueKind.I32, I32Const, 0).Validate());
}
