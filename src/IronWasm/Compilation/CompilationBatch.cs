using System.Reflection;
using System.Reflection.Emit;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

/// <summary>The functions emitted together on one compile request: the requested one plus the
/// small functions of the module it (transitively) calls directly, so those calls are direct
/// <c>call</c>s of their DynamicMethods rather than delegate invocations through a lazy stub.
/// Only IL is emitted eagerly; the JIT still compiles each method on its first call, so
/// instantiation stays lazy and a never-called function costs only its IL emission. Emission is
/// a work list, not recursion, so long call chains cannot exhaust the compiler's stack.
/// Runs under the module's compile lock (<see cref="CompiledModule.GetMethod"/>).</summary>
internal sealed class CompilationBatch : EmissionTarget
{
    /// <summary>Bodies (code bytes) at most this large are emitted with their callers. Large enough
    /// for wasi-libc's memcpy (1,296 bytes) and memset (379); small enough that one request emits a
    /// bounded amount of IL (a large callee stops the chain: it is called through its delegate).</summary>
    internal const int EagerBodySize = 2048;

    private readonly CompiledModule module;
    private readonly Dictionary<int, DynamicMethod> declared = [];
    private readonly Queue<int> pending = new();

    public CompilationBatch(CompiledModule module) => this.module = module;

    /// <summary>Creates the method of <paramref name="definedIndex"/> and queues its body.</summary>
    public DynamicMethod Declare(int definedIndex)
    {
        var method = FunctionCompiler.CreateMethod(module, definedIndex);
        declared.Add(definedIndex, method);
        pending.Enqueue(definedIndex);
        return method;
    }

    /// <summary>The method a call to defined function <paramref name="definedIndex"/> may call
    /// directly: already compiled, in this batch, or small enough to join it; else null.</summary>
    public override MethodInfo? DirectCallee(int definedIndex)
    {
        if (Volatile.Read(ref module.Methods[definedIndex]) is { } compiled) return compiled;
        if (declared.TryGetValue(definedIndex, out var method)) return method;
        if (module.Definition.Bodies[definedIndex].Code.Length > EagerBodySize) return null;
        return Declare(definedIndex);
    }

    public override bool IsProcessLocal => true;

    /// <summary>Emits every queued body, then publishes the methods other than
    /// <paramref name="requested"/> (its caller publishes that one), all complete.</summary>
    public void EmitAll(int requested)
    {
        while (pending.TryDequeue(out int definedIndex))
        {
            var method = declared[definedIndex];
            new FunctionEmitter(module, definedIndex, method, this).Emit();
        }
        foreach (var (definedIndex, method) in declared)
            if (definedIndex != requested && module.Methods[definedIndex] is null)
                Volatile.Write(ref module.Methods[definedIndex], method);
    }
}
