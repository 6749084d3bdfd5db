using System.Runtime.Intrinsics;
using IronWasm.Runtime;

namespace IronWasm.Tests.Runtime;

public class SignatureTests
{
    [Fact]
    public void StructurallyEqualTypesShareId()
    {
        var a = new FunctionType([ValueKind.I32], [ValueKind.F64]);
        var b = new FunctionType([ValueKind.I32], [ValueKind.F64]);
        var c = new FunctionType([ValueKind.I64], [ValueKind.F64]);
        Assert.Equal(FunctionTypeRegistry.GetId(a), FunctionTypeRegistry.GetId(b));
        Assert.NotEqual(FunctionTypeRegistry.GetId(a), FunctionTypeRegistry.GetId(c));
    }

    [Fact]
    public void SmallSignaturesUseFuncAndAction()
    {
        Assert.Equal(typeof(Func<int, long, Vector128<byte>>),
            SignatureDelegates.Get(new FunctionType([ValueKind.I32, ValueKind.I64], [ValueKind.V128])));
        Assert.Equal(typeof(Action<object, float>), SignatureDelegates.Get(new FunctionType([ValueKind.FuncRef, ValueKind.F32], [])));
        Assert.Equal(typeof(Func<(int, double)>), SignatureDelegates.Get(new FunctionType([], [ValueKind.I32, ValueKind.F64])));
    }

    [Fact]
    public void NineResultsNestThroughRest()
    {
        var type = SignatureDelegates.ReturnType(Enumerable.Repeat(ValueKind.I32, 9).ToArray());
        Assert.Equal(typeof((int, int, int, int, int, int, int, int, int)), type);
    }

    [Fact]
    public void SeventeenParametersGetGeneratedDelegateType()
    {
        var type = SignatureDelegates.Get(new FunctionType(Enumerable.Repeat(ValueKind.I32, 17).ToArray(), []));
        Assert.True(typeof(Delegate).IsAssignableFrom(type));
        Assert.Equal(17, type.GetMethod("Invoke")!.GetParameters().Length);
    }

    [Fact]
    public void FunctionWithManyParametersAndResultsCanBeCalled()
    {
        var parameters = string.Join(" ", Enumerable.Repeat("i32", 18));
        var results = string.Join(" ", Enumerable.Repeat("i64", 9));
        var body = string.Join(" ", Enumerable.Range(0, 9).Select(i => $"local.get {i * 2} i64.extend_i32_u"));
        var instance = TestModules.Instantiate($"(module (func (export \"f\") (param {parameters}) (result {results}) {body}))");
        var output = instance.GetFunction("f")!.Invoke(Enumerable.Range(100, 18).Select(WasmValue.FromInt32).ToArray());
        Assert.Equal(Enumerable.Range(0, 9).Select(i => 100L + 2 * i), output.Select(v => v.AsInt64()));
    }

    [Fact]
    public void TypedDelegateWithNineResultsMatches()
    {
        var results = string.Join(" ", Enumerable.Repeat("i32", 9));
        var body = string.Join(" ", Enumerable.Range(1, 9).Select(i => $"i32.const {i}"));
        var instance = TestModules.Instantiate($"(module (func (export \"f\") (result {results}) {body}))");
        var f = instance.GetFunction<(int, int, int, int, int, int, int, int, int)>("f")!;
        Assert.Equal((1, 2, 3, 4, 5, 6, 7, 8, 9), f());
    }
}
