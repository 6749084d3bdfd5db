namespace IronWasm;

/// <summary>How the code of a compiled module (a compilation-cache hit, <see cref="Module.Deserialize(Engine, ReadOnlySpan{byte})"/>)
/// is brought into the process. Both run the same stored code and behave the same; they differ in what
/// a load costs, how functions are JIT-compiled, and whether the code can be freed.</summary>
public enum CompiledCodeLoading
{
    /// <summary>The module's code is loaded as one .NET assembly. The runtime tiers its methods: a quick
    /// first JIT compilation, then an optimised one for code that runs often, which suits programs that
    /// run a while and call much of their module once (the <c>ironwasm</c> command uses it). Each first
    /// load of a module costs the runtime's assembly load (about 70 µs plus 1 µs per KB of code), and
    /// the code stays in memory for the life of the process.</summary>
    Assembly,

    /// <summary>Each function becomes a DynamicMethod made from the stored code when the function is
    /// first called: a load reads the module without loading an assembly, which suits hosts that load
    /// many modules (drivers plugged in at run time). Functions are compiled fully optimised on their
    /// first call, and the code is freed with the last module and instance that use it.</summary>
    DynamicMethods,
}
