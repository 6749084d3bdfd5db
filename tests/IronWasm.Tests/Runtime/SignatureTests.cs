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
    public void LazyStubsMakeDelegatesOfTheirSignaturesTypeForEverySignature()
    {
        // Common signatures have stubs made ahead (LazyStubFactory.Common), the rest on demand; both
        // must yield a delegate of exactly the signature's type, and one factory per signature.
        var engine = new Engine();
        var module = Module.FromText(engine, "m", """
            (module
              (func (export "a") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
              (func (export "b") (param i32 i64 i32) (result i64) (i64.add (local.get 1) (i64.extend_i32_s (local.get 2))))
              (func (export "c") (param f32 f32) (result f32) (f32.mul (local.get 0) (local.get 1)))
              (func (export "d") (param i32 i32)))
            """);
        var instance = new Linker(engine).Instantiate(new Store(engine), module);
        foreach (var name in (string[])["a", "b", "c", "d"])
        {
            var type = instance.GetFunction(name)!.Type;
            var factory = LazyStubFactory.For(type);
            Assert.Same(factory, LazyStubFactory.For(new FunctionType(type.Parameters, type.Results)));
            Assert.IsType(SignatureDelegates.Get(type), factory.Create(new FunctionInstance { Type = type }));
        }
        Assert.Equal(8, instance.GetFunction<int, int>("a")!(7));
        Assert.Equal(30L, instance.GetFunction<int, long, int, long>("b")!(0, 20, 10));
        Assert.Equal(6f, instance.GetFunction<float, float, float>("c")!(2, 3));
        instance.GetAction<int, int>("d")!(1, 2);
    }

    [Fact]
    public void FunctionTypesCompareAndHashByTheirKindsAndKeepTheirOwnCopies()
    {
        ValueKind[] parameters = [ValueKind.I32, ValueKind.I64];
        var fromArray = new FunctionType(parameters, [ValueKind.F64]);
        var fromList = new FunctionType(new List<ValueKind> { ValueKind.I32, ValueKind.I64 }, new List<ValueKind> { ValueKind.F64 });
        parameters[0] = ValueKind.F32;
        Assert.Equal([ValueKind.I32, ValueKind.I64], fromArray.Parameters);
        Assert.Equal(fromArray, fromList);
        Assert.Equal(fromArray.GetHashCode(), fromList.GetHashCode());
        // The boundary between parameters and results counts.
        Assert.NotEqual(new FunctionType([ValueKind.I32], []), new FunctionType([], [ValueKind.I32]));
        Assert.NotEqual(new FunctionType([ValueKind.I32], []).GetHashCode(), new FunctionType([], [ValueKind.I32]).GetHashCode());
        Assert.NotEqual(fromArray, new FunctionType([ValueKind.I32, ValueKind.I64], [ValueKind.F32]));
        Assert.Equal(new FunctionType([], []), new FunctionType(Array.Empty<ValueKind>(), new List<ValueKind>()));
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
