// Typed host functions taking a Caller, adapted to the engine's delegate shape without generated code:
// one small generic class per Func/Action arity (0 to 8 Wasm parameters, as Linker.DefineFunction
// takes). Used when the callback's Wasm-facing types are already the engine's (int, long, float,
// double, Vector128<byte>, object for externref): every WASI function. Building a DynamicMethod
// instead loads Reflection.Emit and runs the optimising JIT at instantiation, milliseconds of a
// command's start-up. (Written by a generator; the shapes are uniform, so edit the pattern, not one member.)
using System.Collections.Concurrent;

namespace IronWasm.Runtime;

/// <summary>Binds a callback taking a <see cref="Caller"/> to that Caller, as a delegate of the
/// engine's shape for the function's type.</summary>
internal abstract class CallerAdapter
{
    public abstract Delegate Create(Delegate callback, Caller caller);

    private static readonly ConcurrentDictionary<Type, CallerAdapter?> Adapters = new();

    /// <summary>A delegate of <paramref name="engineType"/> calling <paramref name="callback"/> with
    /// <paramref name="caller"/> first, or null when the callback's other parameters and result are
    /// not exactly <paramref name="engineType"/>'s (then a generated adapter converts them).</summary>
    public static Delegate? TryCreate(Delegate callback, Type engineType, Caller caller)
    {
        var userType = callback.GetType();
        var adapter = Adapters.TryGetValue(userType, out var found) ? found : Adapters.GetOrAdd(userType, For(userType, engineType));
        return adapter?.Create(callback, caller);
    }

    /// <summary>The shapes of WASI's functions, made with <c>new</c> so that ReadyToRun images (the
    /// published CLI) hold their code: made through MakeGenericType, each adapter's methods are
    /// JIT-compiled at start-up. Keyed by the callback's type; the engine's type must be the value's.</summary>
    private static readonly Dictionary<Type, (Type EngineType, CallerAdapter Adapter)> Common = new()
    {
        [typeof(Func<Caller, int, int>)] = (typeof(Func<int, int>), new CallerFunc<int, int>()),
        [typeof(Func<Caller, int, int, int>)] = (typeof(Func<int, int, int>), new CallerFunc<int, int, int>()),
        [typeof(Func<Caller, int, int, int, int>)] = (typeof(Func<int, int, int, int>), new CallerFunc<int, int, int, int>()),
        [typeof(Func<Caller, int, int, int, int, int>)] = (typeof(Func<int, int, int, int, int>), new CallerFunc<int, int, int, int, int>()),
        [typeof(Func<Caller, int, long, int, int>)] = (typeof(Func<int, long, int, int>), new CallerFunc<int, long, int, int>()),
        [typeof(Func<Caller, int, long, int, int, int>)] = (typeof(Func<int, long, int, int, int>), new CallerFunc<int, long, int, int, int>()),
        [typeof(Action<Caller, int>)] = (typeof(Action<int>), new CallerAction<int>()),
    };

    private static CallerAdapter? For(Type userType, Type engineType)
    {
        if (Common.TryGetValue(userType, out var common)) return common.EngineType == engineType ? common.Adapter : null;
        if (!userType.IsGenericType) return null;
        var definition = userType.GetGenericTypeDefinition();
        var arguments = userType.GetGenericArguments();
        if (arguments[0] != typeof(Caller)) return null;
        var rest = arguments[1..];
        // Index k of FuncDefinitions has k + 1 type arguments, of ActionDefinitions k; the user's type has
        // one more than the engine's (the Caller).
        int funcIndex = Array.IndexOf(FuncDefinitions, definition);
        int actionIndex = Array.IndexOf(ActionDefinitions, definition);
        Type? adapter = null;
        if (funcIndex >= 1)
        {
            // Func<Caller, T1..Tn, TResult> must match Func<T1..Tn, TResult>.
            int n = funcIndex - 1;
            if (!engineType.IsGenericType || engineType.GetGenericTypeDefinition() != FuncDefinitions[n]) return null;
            if (!Same(engineType.GetGenericArguments(), rest)) return null;
            adapter = FuncAdapters[n].MakeGenericType(rest);
        }
        else if (actionIndex >= 1)
        {
            // Action<Caller, T1..Tn> must match Action<T1..Tn> (Action itself for n = 0).
            int n = actionIndex - 1;
            if (n == 0) return engineType == typeof(Action) ? new CallerAction() : null;
            if (!engineType.IsGenericType || engineType.GetGenericTypeDefinition() != ActionDefinitions[n]) return null;
            if (!Same(engineType.GetGenericArguments(), rest)) return null;
            adapter = ActionAdapters[n - 1].MakeGenericType(rest);
        }
        // Stateless with an empty constructor: an uninitialised object is a whole one.
        return adapter is null ? null : (CallerAdapter)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(adapter);
    }

    private static bool Same(Type[] a, Type[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i]) return false;
        }
        return true;
    }

    private static readonly Type[] FuncDefinitions = [typeof(Func<>), typeof(Func<,>), typeof(Func<,,>), typeof(Func<,,,>), typeof(Func<,,,,>), typeof(Func<,,,,,>), typeof(Func<,,,,,,>), typeof(Func<,,,,,,,>), typeof(Func<,,,,,,,,>), typeof(Func<,,,,,,,,,>)];
    private static readonly Type[] ActionDefinitions = [typeof(Action), typeof(Action<>), typeof(Action<,>), typeof(Action<,,>), typeof(Action<,,,>), typeof(Action<,,,,>), typeof(Action<,,,,,>), typeof(Action<,,,,,,>), typeof(Action<,,,,,,,>), typeof(Action<,,,,,,,,>)];
    // Indexed by the number of Wasm parameters (minus one for actions, which start at one).
    private static readonly Type[] FuncAdapters = [typeof(CallerFunc<>), typeof(CallerFunc<,>), typeof(CallerFunc<,,>), typeof(CallerFunc<,,,>), typeof(CallerFunc<,,,,>), typeof(CallerFunc<,,,,,>), typeof(CallerFunc<,,,,,,>), typeof(CallerFunc<,,,,,,,>), typeof(CallerFunc<,,,,,,,,>)];
    private static readonly Type[] ActionAdapters = [typeof(CallerAction<>), typeof(CallerAction<,>), typeof(CallerAction<,,>), typeof(CallerAction<,,,>), typeof(CallerAction<,,,,>), typeof(CallerAction<,,,,,>), typeof(CallerAction<,,,,,,>), typeof(CallerAction<,,,,,,,>)];
}

internal sealed class CallerAction : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Action(new Bound((Action<Caller>)callback, caller).Invoke);

    private sealed class Bound(Action<Caller> callback, Caller caller)
    {
        public void Invoke() => callback(caller);
    }
}

internal sealed class CallerFunc<TResult> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Func<TResult>(new Bound((Func<Caller, TResult>)callback, caller).Invoke);

    private sealed class Bound(Func<Caller, TResult> callback, Caller caller)
    {
        public TResult Invoke() => callback(caller);
    }
}

internal sealed class CallerFunc<T1, TResult> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Func<T1, TResult>(new Bound((Func<Caller, T1, TResult>)callback, caller).Invoke);

    private sealed class Bound(Func<Caller, T1, TResult> callback, Caller caller)
    {
        public TResult Invoke(T1 a1) => callback(caller, a1);
    }
}

internal sealed class CallerFunc<T1, T2, TResult> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Func<T1, T2, TResult>(new Bound((Func<Caller, T1, T2, TResult>)callback, caller).Invoke);

    private sealed class Bound(Func<Caller, T1, T2, TResult> callback, Caller caller)
    {
        public TResult Invoke(T1 a1, T2 a2) => callback(caller, a1, a2);
    }
}

internal sealed class CallerFunc<T1, T2, T3, TResult> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Func<T1, T2, T3, TResult>(new Bound((Func<Caller, T1, T2, T3, TResult>)callback, caller).Invoke);

    private sealed class Bound(Func<Caller, T1, T2, T3, TResult> callback, Caller caller)
    {
        public TResult Invoke(T1 a1, T2 a2, T3 a3) => callback(caller, a1, a2, a3);
    }
}

internal sealed class CallerFunc<T1, T2, T3, T4, TResult> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Func<T1, T2, T3, T4, TResult>(new Bound((Func<Caller, T1, T2, T3, T4, TResult>)callback, caller).Invoke);

    private sealed class Bound(Func<Caller, T1, T2, T3, T4, TResult> callback, Caller caller)
    {
        public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4) => callback(caller, a1, a2, a3, a4);
    }
}

internal sealed class CallerFunc<T1, T2, T3, T4, T5, TResult> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Func<T1, T2, T3, T4, T5, TResult>(new Bound((Func<Caller, T1, T2, T3, T4, T5, TResult>)callback, caller).Invoke);

    private sealed class Bound(Func<Caller, T1, T2, T3, T4, T5, TResult> callback, Caller caller)
    {
        public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) => callback(caller, a1, a2, a3, a4, a5);
    }
}

internal sealed class CallerFunc<T1, T2, T3, T4, T5, T6, TResult> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Func<T1, T2, T3, T4, T5, T6, TResult>(new Bound((Func<Caller, T1, T2, T3, T4, T5, T6, TResult>)callback, caller).Invoke);

    private sealed class Bound(Func<Caller, T1, T2, T3, T4, T5, T6, TResult> callback, Caller caller)
    {
        public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) => callback(caller, a1, a2, a3, a4, a5, a6);
    }
}

internal sealed class CallerFunc<T1, T2, T3, T4, T5, T6, T7, TResult> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Func<T1, T2, T3, T4, T5, T6, T7, TResult>(new Bound((Func<Caller, T1, T2, T3, T4, T5, T6, T7, TResult>)callback, caller).Invoke);

    private sealed class Bound(Func<Caller, T1, T2, T3, T4, T5, T6, T7, TResult> callback, Caller caller)
    {
        public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) => callback(caller, a1, a2, a3, a4, a5, a6, a7);
    }
}

internal sealed class CallerFunc<T1, T2, T3, T4, T5, T6, T7, T8, TResult> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Func<T1, T2, T3, T4, T5, T6, T7, T8, TResult>(new Bound((Func<Caller, T1, T2, T3, T4, T5, T6, T7, T8, TResult>)callback, caller).Invoke);

    private sealed class Bound(Func<Caller, T1, T2, T3, T4, T5, T6, T7, T8, TResult> callback, Caller caller)
    {
        public TResult Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) => callback(caller, a1, a2, a3, a4, a5, a6, a7, a8);
    }
}

internal sealed class CallerAction<T1> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Action<T1>(new Bound((Action<Caller, T1>)callback, caller).Invoke);

    private sealed class Bound(Action<Caller, T1> callback, Caller caller)
    {
        public void Invoke(T1 a1) => callback(caller, a1);
    }
}

internal sealed class CallerAction<T1, T2> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Action<T1, T2>(new Bound((Action<Caller, T1, T2>)callback, caller).Invoke);

    private sealed class Bound(Action<Caller, T1, T2> callback, Caller caller)
    {
        public void Invoke(T1 a1, T2 a2) => callback(caller, a1, a2);
    }
}

internal sealed class CallerAction<T1, T2, T3> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Action<T1, T2, T3>(new Bound((Action<Caller, T1, T2, T3>)callback, caller).Invoke);

    private sealed class Bound(Action<Caller, T1, T2, T3> callback, Caller caller)
    {
        public void Invoke(T1 a1, T2 a2, T3 a3) => callback(caller, a1, a2, a3);
    }
}

internal sealed class CallerAction<T1, T2, T3, T4> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Action<T1, T2, T3, T4>(new Bound((Action<Caller, T1, T2, T3, T4>)callback, caller).Invoke);

    private sealed class Bound(Action<Caller, T1, T2, T3, T4> callback, Caller caller)
    {
        public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4) => callback(caller, a1, a2, a3, a4);
    }
}

internal sealed class CallerAction<T1, T2, T3, T4, T5> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Action<T1, T2, T3, T4, T5>(new Bound((Action<Caller, T1, T2, T3, T4, T5>)callback, caller).Invoke);

    private sealed class Bound(Action<Caller, T1, T2, T3, T4, T5> callback, Caller caller)
    {
        public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) => callback(caller, a1, a2, a3, a4, a5);
    }
}

internal sealed class CallerAction<T1, T2, T3, T4, T5, T6> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Action<T1, T2, T3, T4, T5, T6>(new Bound((Action<Caller, T1, T2, T3, T4, T5, T6>)callback, caller).Invoke);

    private sealed class Bound(Action<Caller, T1, T2, T3, T4, T5, T6> callback, Caller caller)
    {
        public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) => callback(caller, a1, a2, a3, a4, a5, a6);
    }
}

internal sealed class CallerAction<T1, T2, T3, T4, T5, T6, T7> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Action<T1, T2, T3, T4, T5, T6, T7>(new Bound((Action<Caller, T1, T2, T3, T4, T5, T6, T7>)callback, caller).Invoke);

    private sealed class Bound(Action<Caller, T1, T2, T3, T4, T5, T6, T7> callback, Caller caller)
    {
        public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) => callback(caller, a1, a2, a3, a4, a5, a6, a7);
    }
}

internal sealed class CallerAction<T1, T2, T3, T4, T5, T6, T7, T8> : CallerAdapter
{
    public override Delegate Create(Delegate callback, Caller caller) => new Action<T1, T2, T3, T4, T5, T6, T7, T8>(new Bound((Action<Caller, T1, T2, T3, T4, T5, T6, T7, T8>)callback, caller).Invoke);

    private sealed class Bound(Action<Caller, T1, T2, T3, T4, T5, T6, T7, T8> callback, Caller caller)
    {
        public void Invoke(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) => callback(caller, a1, a2, a3, a4, a5, a6, a7, a8);
    }
}
