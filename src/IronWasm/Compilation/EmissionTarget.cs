using System.Reflection;
using System.Reflection.Emit;
using IronWasm.Model;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

/// <summary>Where <see cref="FunctionEmitter"/> puts the functions it compiles, and what the code may
/// assume about the process it will run in. Two targets share the one emitter: DynamicMethods made
/// on demand and run in this process (<see cref="CompilationBatch"/>), and the static methods of a
/// persisted assembly that may run in another process (<see cref="ModuleAssemblyBuilder"/>).</summary>
internal abstract class EmissionTarget
{
    /// <summary>The method a call to defined function <paramref name="definedIndex"/> may call
    /// directly (a static <c>call</c>), or null to call through the callee's
    /// <see cref="FunctionInstance.Callable"/>.</summary>
    public abstract MethodInfo? DirectCallee(int definedIndex);

    /// <summary>Whether the code runs only in this process, so it may embed process-wide values
    /// (<see cref="FunctionTypeRegistry"/> ids) as constants. Persisted code reads them from the
    /// instance instead.</summary>
    public abstract bool IsProcessLocal { get; }

    /// <summary>The <c>Invoke</c> method code calls to go through a delegate of function type
    /// <paramref name="type"/>.</summary>
    public virtual MethodInfo DelegateInvoke(FunctionType type) => RuntimeMembers.InvokeOf(SignatureDelegates.Get(type));

    /// <summary>The IL generator of <paramref name="method"/>, a method this target created, sized for
    /// about <paramref name="size"/> bytes of IL.</summary>
    public static ILGenerator GetILGenerator(MethodInfo method, int size) => method switch
    {
        DynamicMethod dynamic => dynamic.GetILGenerator(size),
        MethodBuilder builder => builder.GetILGenerator(size),
        _ => throw new ArgumentException($"{method} was not created by an emission target", nameof(method)),
    };
}
