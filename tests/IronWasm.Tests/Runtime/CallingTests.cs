namespace IronWasm.Tests.Runtime;

public class CallingTests
{
    [Fact]
    public void TypedFunctionCallsIntoGuest()
    {
        var instance = TestModules.Instantiate("(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))");
        var add = instance.GetFunction<int, int, int>("add")!;
        Assert.Equal(5, add(2, 3));
        Assert.Equal(-1, add(int.MaxValue, int.MinValue));
    }

    [Fact]
    public void TypedGetterReturnsNullForWrongSignature()
    {
        var instance = TestModules.Instantiate("(module (func (export \"f\") (param i32) (result i32) local.get 0))");
        Assert.Null(instance.GetFunction<long, int>("f"));
        Assert.Null(instance.GetFunction<int, int>("missing"));
        Assert.NotNull(instance.GetFunction<int, int>("f"));
    }

    [Fact]
    public void UntypedInvokeReturnsResults()
    {
        var instance = TestModules.Instantiate("(module (func (export \"f\") (param i64 f64) (result f64 i64) local.get 1 local.get 0))");
        var results = instance.GetFunction("f")!.Invoke(WasmValue.FromInt64(7), WasmValue.FromDouble(1.5));
        Assert.Equal(1.5, results[0].AsDouble());
        Assert.Equal(7L, results[1].AsInt64());
    }

    [Fact]
    public void MultiValueTypedFunctionReturnsValueTuple()
    {
        var instance = TestModules.Instantiate("(module (func (export \"swap\") (param i32 i64) (result i64 i32) local.get 1 local.get 0))");
        var swap = instance.GetFunction<int, long, (long, int)>("swap")!;
        Assert.Equal((9L, 4), swap(4, 9));
    }

    [Fact]
    public void ObjectInvokeBoxesArgumentsAndResult()
    {
        var instance = TestModules.Instantiate("(module (func (export \"f\") (param f32) (result f32) local.get 0))");
        Assert.Equal(2.5f, instance.GetFunction("f")!.Invoke(2.5f));
    }

    [Fact]
    public void NaNPayloadSurvivesUntypedCall()
    {
        var instance = TestModules.Instantiate("(module (func (export \"id\") (param f32) (result f32) local.get 0))");
        var result = instance.GetFunction("id")!.Invoke(WasmValue.FromSingleBits(0x7FA0_0001))[0];
        Assert.Equal(0x7FA0_0001u, result.AsSingleBits());
    }

    [Fact]
    public void InvokeRejectsArgumentsOfWrongKind()
    {
        var instance = TestModules.Instantiate("(module (func (export \"f\") (param i32)))");
        Assert.Throws<ArgumentException>(() => instance.GetFunction("f")!.Invoke(WasmValue.FromInt64(1)));
    }

    [Fact]
    public void FuncrefCrossesBoundaryAsFunction()
    {
        var instance = TestModules.Instantiate("""
            (module
              (func $f (export "f") (result i32) i32.const 42)
              (elem declare func $f)
              (func (export "get") (result funcref) ref.func $f)
              (func (export "isnull") (param funcref) (result i32) local.get 0 ref.is_null))
            """);
        var function = instance.GetFunction<Function>("get")!();
        Assert.Same(instance.GetFunction("f"), function);
        Assert.Equal(42, function.Invoke());
        var isNull = instance.GetFunction<Function, int>("isnull")!;
        Assert.Equal(1, isNull(null!));
        Assert.Equal(0, isNull(function));
    }

    [Fact]
    public void ExternrefRoundTripsHostObject()
    {
        var instance = TestModules.Instantiate("(module (func (export \"id\") (param externref) (result externref) local.get 0))");
        var token = new object();
        Assert.Same(token, instance.GetFunction<object, object>("id")!(token));
    }
}
