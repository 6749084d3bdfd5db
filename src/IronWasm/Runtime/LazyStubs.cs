// Lazy-compilation stubs for every Func/Action shape (0 to 16 parameters). A stub delegate is bound
// to the FunctionInstance itself (a generic method of it), so making one per function costs a single
// delegate allocation and no reflection: a module with thousands of functions instantiates in
// microseconds per function. (Written by a generator; the shapes are uniform, so edit the pattern,
// not one member.)
namespace IronWasm.Runtime;

internal sealed partial class FunctionInstance
{
    internal TResult LazyFunc<TResult>() => ((Func<TResult>)LazyCompilation.Resolve(this))();
    internal void LazyAction() => ((Action)LazyCompilation.Resolve(this))();
    internal TResult LazyFunc<T1, TResult>(T1 a1) => ((Func<T1, TResult>)LazyCompilation.Resolve(this))(a1);
    internal void LazyAction<T1>(T1 a1) => ((Action<T1>)LazyCompilation.Resolve(this))(a1);
    internal TResult LazyFunc<T1, T2, TResult>(T1 a1, T2 a2) => ((Func<T1, T2, TResult>)LazyCompilation.Resolve(this))(a1, a2);
    internal void LazyAction<T1, T2>(T1 a1, T2 a2) => ((Action<T1, T2>)LazyCompilation.Resolve(this))(a1, a2);
    internal TResult LazyFunc<T1, T2, T3, TResult>(T1 a1, T2 a2, T3 a3) => ((Func<T1, T2, T3, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3);
    internal void LazyAction<T1, T2, T3>(T1 a1, T2 a2, T3 a3) => ((Action<T1, T2, T3>)LazyCompilation.Resolve(this))(a1, a2, a3);
    internal TResult LazyFunc<T1, T2, T3, T4, TResult>(T1 a1, T2 a2, T3 a3, T4 a4) => ((Func<T1, T2, T3, T4, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4);
    internal void LazyAction<T1, T2, T3, T4>(T1 a1, T2 a2, T3 a3, T4 a4) => ((Action<T1, T2, T3, T4>)LazyCompilation.Resolve(this))(a1, a2, a3, a4);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) => ((Func<T1, T2, T3, T4, T5, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5);
    internal void LazyAction<T1, T2, T3, T4, T5>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) => ((Action<T1, T2, T3, T4, T5>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) => ((Func<T1, T2, T3, T4, T5, T6, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6);
    internal void LazyAction<T1, T2, T3, T4, T5, T6>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) => ((Action<T1, T2, T3, T4, T5, T6>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, T7, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) => ((Func<T1, T2, T3, T4, T5, T6, T7, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7);
    internal void LazyAction<T1, T2, T3, T4, T5, T6, T7>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) => ((Action<T1, T2, T3, T4, T5, T6, T7>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) => ((Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8);
    internal void LazyAction<T1, T2, T3, T4, T5, T6, T7, T8>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) => ((Action<T1, T2, T3, T4, T5, T6, T7, T8>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) => ((Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9);
    internal void LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) => ((Action<T1, T2, T3, T4, T5, T6, T7, T8, T9>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) => ((Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    internal void LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) => ((Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) => ((Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
    internal void LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) => ((Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) => ((Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
    internal void LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) => ((Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13) => ((Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
    internal void LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13) => ((Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14) => ((Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
    internal void LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14) => ((Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15) => ((Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
    internal void LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15) => ((Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
    internal TResult LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, TResult>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15, T16 a16) => ((Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, TResult>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16);
    internal void LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16>(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12, T13 a13, T14 a14, T15 a15, T16 a16) => ((Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16>)LazyCompilation.Resolve(this))(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16);
}

internal sealed class FuncStub<TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<TResult>(function.LazyFunc<TResult>);
}

internal sealed class ActionStub : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action(function.LazyAction);
}

internal sealed class FuncStub<T1, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, TResult>(function.LazyFunc<T1, TResult>);
}

internal sealed class ActionStub<T1> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1>(function.LazyAction<T1>);
}

internal sealed class FuncStub<T1, T2, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, TResult>(function.LazyFunc<T1, T2, TResult>);
}

internal sealed class ActionStub<T1, T2> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2>(function.LazyAction<T1, T2>);
}

internal sealed class FuncStub<T1, T2, T3, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, TResult>(function.LazyFunc<T1, T2, T3, TResult>);
}

internal sealed class ActionStub<T1, T2, T3> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3>(function.LazyAction<T1, T2, T3>);
}

internal sealed class FuncStub<T1, T2, T3, T4, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, TResult>(function.LazyFunc<T1, T2, T3, T4, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4>(function.LazyAction<T1, T2, T3, T4>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5>(function.LazyAction<T1, T2, T3, T4, T5>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6>(function.LazyAction<T1, T2, T3, T4, T5, T6>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, T7, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, T7, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, T7, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6, T7> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6, T7>(function.LazyAction<T1, T2, T3, T4, T5, T6, T7>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, T7, T8, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6, T7, T8> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6, T7, T8>(function.LazyAction<T1, T2, T3, T4, T5, T6, T7, T8>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6, T7, T8, T9> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6, T7, T8, T9>(function.LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(function.LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(function.LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(function.LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>(function.LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>(function.LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15>(function.LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15>);
}

internal sealed class FuncStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, TResult> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Func<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, TResult>(function.LazyFunc<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, TResult>);
}

internal sealed class ActionStub<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16> : LazyStubFactory
{
    public override Delegate Create(FunctionInstance function) => new Action<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16>(function.LazyAction<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16>);
}
