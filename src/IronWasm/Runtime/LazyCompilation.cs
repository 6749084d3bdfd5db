using System.Reflection.Emit;
using IronWasm.Model;

namespace IronWasm.Runtime;

/// <summary>Makes the stub delegate that stands in a Wasm function's <see cref="FunctionInstance.Callable"/>
/// until its first call. One factory per signature; see LazyStubs.cs for the Func/Action shapes.</summary>
internal abstract class LazyStubFactory
{
    /// <summary>A delegate of <c>SignatureDelegates.Get(function.Type)</c> that compiles
    /// <paramref name="function"/> on first call, installs the compiled delegate and forwards the call.</summary>
    public abstract Delegate Create(FunctionInstance function);

    /// <summary>Factories are stateless and depend only on the signature, so one per signature serves
    /// every module: a module loaded for the first time then finds the stubs of the signatures others
    /// used already made (a generic instantiation each, 1 to 2 µs apiece on first use).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<FunctionType, LazyStubFactory> Cache = new();

    public static LazyStubFactory For(FunctionType type) => Cache.GetOrAdd(type, Create);

    private static LazyStubFactory Create(FunctionType type)
    {
        var delegateType = SignatureDelegates.Get(type);
        if (Common.TryGetValue(delegateType, out var common)) return common;
        if (delegateType.IsGenericType)
        {
            var definition = delegateType.GetGenericTypeDefinition();
            var arguments = delegateType.GetGenericArguments();
            int funcIndex = Array.IndexOf(FuncDefinitions, definition);
            if (funcIndex >= 0) return Instantiate(FuncStubDefinitions[funcIndex], arguments);
            int actionIndex = Array.IndexOf(ActionDefinitions, definition);
            if (actionIndex >= 0) return Instantiate(ActionStubDefinitions[actionIndex], arguments);
        }
        else if (delegateType == typeof(Action))
        {
            return new ActionStub();
        }
        return new DynamicStubFactory(type, delegateType);
    }

    /// <summary>The signatures wasi-libc programs use most, made with <c>new</c> so that ReadyToRun
    /// images (the published CLI) hold their code: made through MakeGenericType, each stub's Create
    /// is JIT-compiled at start-up.</summary>
    private static readonly Dictionary<Type, LazyStubFactory> Common = new()
    {
        [typeof(Func<int>)] = new FuncStub<int>(),
        [typeof(Func<int, int>)] = new FuncStub<int, int>(),
        [typeof(Func<int, int, int>)] = new FuncStub<int, int, int>(),
        [typeof(Func<int, int, int, int>)] = new FuncStub<int, int, int, int>(),
        [typeof(Func<int, int, int, int, int>)] = new FuncStub<int, int, int, int, int>(),
        [typeof(Func<int, int, int, int, int, int>)] = new FuncStub<int, int, int, int, int, int>(),
        [typeof(Func<int, long, long>)] = new FuncStub<int, long, long>(),
        [typeof(Func<int, long, int, long>)] = new FuncStub<int, long, int, long>(),
        [typeof(Func<int, long, int, int, int>)] = new FuncStub<int, long, int, int, int>(),
        [typeof(Func<double, int, double>)] = new FuncStub<double, int, double>(),
        [typeof(Action<int>)] = new ActionStub<int>(),
        [typeof(Action<int, int>)] = new ActionStub<int, int>(),
        [typeof(Action<int, int, int>)] = new ActionStub<int, int, int>(),
        [typeof(Action<int, int, int, int>)] = new ActionStub<int, int, int, int>(),
        [typeof(Action<int, int, int, int, int>)] = new ActionStub<int, int, int, int, int>(),
    };

    /// <summary>The stubs have no state and an empty constructor, so an uninitialised object is a whole
    /// one: this skips Activator's constructor lookup and the JIT compilation of each constructor.</summary>
    private static LazyStubFactory Instantiate(Type stubDefinition, Type[] arguments) =>
        (LazyStubFactory)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(stubDefinition.MakeGenericType(arguments));

    // Written out with typeof rather than looked up by name: Assembly.GetType(string) parses the name
    // with vectorised searches the JIT compiles, fully optimised, at every start.
    private static readonly Type[] FuncDefinitions =
    [
        typeof(Func<>), typeof(Func<,>), typeof(Func<,,>), typeof(Func<,,,>), typeof(Func<,,,,>), typeof(Func<,,,,,>),
        typeof(Func<,,,,,,>), typeof(Func<,,,,,,,>), typeof(Func<,,,,,,,,>), typeof(Func<,,,,,,,,,>), typeof(Func<,,,,,,,,,,>),
        typeof(Func<,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,,,>),
        typeof(Func<,,,,,,,,,,,,,,,>), typeof(Func<,,,,,,,,,,,,,,,,>),
    ];
    private static readonly Type[] ActionDefinitions =
    [
        typeof(Action<>), typeof(Action<,>), typeof(Action<,,>), typeof(Action<,,,>), typeof(Action<,,,,>),
        typeof(Action<,,,,,>), typeof(Action<,,,,,,>), typeof(Action<,,,,,,,>), typeof(Action<,,,,,,,,>), typeof(Action<,,,,,,,,,>),
        typeof(Action<,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,,,>),
        typeof(Action<,,,,,,,,,,,,,,>), typeof(Action<,,,,,,,,,,,,,,,>),
    ];
    private static readonly Type[] FuncStubDefinitions =
    [
        typeof(FuncStub<>), typeof(FuncStub<,>), typeof(FuncStub<,,>), typeof(FuncStub<,,,>), typeof(FuncStub<,,,,>), typeof(FuncStub<,,,,,>),
        typeof(FuncStub<,,,,,,>), typeof(FuncStub<,,,,,,,>), typeof(FuncStub<,,,,,,,,>), typeof(FuncStub<,,,,,,,,,>), typeof(FuncStub<,,,,,,,,,,>),
        typeof(FuncStub<,,,,,,,,,,,>), typeof(FuncStub<,,,,,,,,,,,,>), typeof(FuncStub<,,,,,,,,,,,,,>), typeof(FuncStub<,,,,,,,,,,,,,,>),
        typeof(FuncStub<,,,,,,,,,,,,,,,>), typeof(FuncStub<,,,,,,,,,,,,,,,,>),
    ];
    private static readonly Type[] ActionStubDefinitions =
    [
        typeof(ActionStub<>), typeof(ActionStub<,>), typeof(ActionStub<,,>), typeof(ActionStub<,,,>), typeof(ActionStub<,,,,>),
        typeof(ActionStub<,,,,,>), typeof(ActionStub<,,,,,,>), typeof(ActionStub<,,,,,,,>), typeof(ActionStub<,,,,,,,,>), typeof(ActionStub<,,,,,,,,,>),
        typeof(ActionStub<,,,,,,,,,,>), typeof(ActionStub<,,,,,,,,,,,>), typeof(ActionStub<,,,,,,,,,,,,>), typeof(ActionStub<,,,,,,,,,,,,,>),
        typeof(ActionStub<,,,,,,,,,,,,,,>), typeof(ActionStub<,,,,,,,,,,,,,,,>),
    ];

    /// <summary>For signatures beyond Func/Action (more than 16 parameters): one generated stub method
    /// per signature, bound per function with CreateDelegate (slower to bind, but such functions are rare).</summary>
    private sealed class DynamicStubFactory : LazyStubFactory
    {
        private readonly Type _delegateType;
        private readonly DynamicMethod _stub;

        public DynamicStubFactory(FunctionType type, Type delegateType)
        {
            _delegateType = delegateType;
            var invoke = delegateType.GetMethod("Invoke")!;
            var parameters = invoke.GetParameters().Select(p => p.ParameterType).ToArray();
            _stub = new DynamicMethod("ironwasm-lazy-stub", invoke.ReturnType, [typeof(FunctionInstance), .. parameters],
                typeof(LazyStubFactory).Module, skipVisibility: true);
            var il = _stub.GetILGenerator();
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Call, typeof(LazyCompilation).GetMethod(nameof(LazyCompilation.Resolve))!);
            il.Emit(OpCodes.Castclass, delegateType);
            for (int i = 0; i < parameters.Length; i++) il.Emit(OpCodes.Ldarg, (short)(i + 1));
            il.Emit(OpCodes.Callvirt, invoke);
            il.Emit(OpCodes.Ret);
        }

        public override Delegate Create(FunctionInstance function) => _stub.CreateDelegate(_delegateType, function);
    }
}

/// <summary>Replaces a lazy stub by the compiled function.</summary>
internal static class LazyCompilation
{
    /// <summary>Compiles <paramref name="function"/> if its module has not yet, binds the compiled
    /// method to the function's instance, installs it as the function's callable, and returns it.</summary>
    public static Delegate Resolve(FunctionInstance function)
    {
        // Compiling, and the JIT that runs on the forwarded call, use the guest's own stack: a
        // first call made deep in a recursion must trap rather than overflow the native stack.
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
            Traps.Throw(TrapCode.StackOverflow);
        var context = function.Owner!;
        var module = context.Module;
        var method = module.GetMethod(function.Index - module.Definition.ImportedFunctionCount);
        var compiled = method.CreateDelegate(SignatureDelegates.Get(function.Type), context);
        function.Callable = compiled;
        return compiled;
    }
}
