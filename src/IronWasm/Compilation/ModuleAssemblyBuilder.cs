using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using IronWasm.Model;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

/// <summary>Compiles every function of a module, ahead of time, into one persisted assembly: a
/// static class <see cref="TypeName"/> with one static method per defined function, in
/// defined-function order, each with the signature <see cref="FunctionCompiler.CreateMethod"/> gives
/// a DynamicMethod. The bodies come from the same <see cref="FunctionEmitter"/> as lazily compiled
/// code; only the <see cref="EmissionTarget"/> differs (see RATIONALE.md, "Persisted code").</summary>
internal sealed class ModuleAssemblyBuilder : EmissionTarget
{
    /// <summary>The simple name of every generated assembly; each loads into its own load context.</summary>
    public const string AssemblyName = "IronWasm.Generated";
    public const string TypeNamespace = "IronWasm.Generated", TypeSimpleName = "Functions";
    public const string TypeName = TypeNamespace + "." + TypeSimpleName;

    /// <summary>Functions with a loop and a body (code bytes) at most this large skip tiering.</summary>
    internal const int FullyOptimizedBodySize = CompilationBatch.EagerBodySize;

    /// <summary>Functions that call themselves directly and have a body at most this large skip
    /// tiering too: on-stack replacement cannot lift a recursion out of tier-0 code, only call
    /// counting can, after the runtime's delay. The limit bounds the up-front JIT work.</summary>
    internal const int RecursiveFullyOptimizedBodySize = 4 * FullyOptimizedBodySize;

    private readonly CompiledModule module;
    private readonly MethodBuilder[] methods;

    private ModuleAssemblyBuilder(CompiledModule module, MethodBuilder[] methods)
    {
        this.module = module;
        this.methods = methods;
    }

    /// <summary>The compiled assembly: a PE image, and the metadata token of the method of defined
    /// function 0 (function i is token + i). Throws <see cref="NotSupportedException"/> when the module
    /// needs a delegate type that exists only in this process (see <see cref="DelegateInvoke"/>).
    /// <paramref name="forNativeCode"/>: the image is for <see cref="ReadyToRunCompiler"/>, which leaves
    /// methods marked AggressiveOptimization to the JIT, so none is marked.</summary>
    public static (byte[] Image, int FirstMethodToken) Build(CompiledModule module, bool forNativeCode = false)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName(AssemblyName), typeof(object).Assembly);
        var moduleBuilder = assembly.DefineDynamicModule(AssemblyName);
        var ignoresAccessChecks = DefineIgnoresAccessChecksToAttribute(moduleBuilder);

        var type = moduleBuilder.DefineType(TypeName, TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class);
        var definition = module.Definition;
        var methods = new MethodBuilder[definition.FunctionTypeIndices.Count];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < methods.Length; i++)
        {
            int functionIndex = definition.ImportedFunctionCount + i;
            var (returnType, parameterTypes) = FunctionCompiler.ClrSignature(definition.FunctionSpace[functionIndex]);
            // Names only serve profilers and debuggers (backtraces map tokens to names), but two
            // methods of one type must not share a name and signature.
            string name = module.MethodName(functionIndex);
            if (!names.Add(name)) name = $"{name} #{functionIndex}";
            var method = type.DefineMethod(name, MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig,
                returnType, parameterTypes);
            // A frame the JIT inlined would be missing from Wasm backtraces; DynamicMethods are never
            // inlined into each other either, so both kinds of code report the same frames.
            method.SetImplementationFlags(MethodImplAttributes.NoInlining);
            methods[i] = method;
        }

        var builder = new ModuleAssemblyBuilder(module, methods);
        for (int i = 0; i < methods.Length; i++)
        {
            var emitter = new FunctionEmitter(module, i, methods[i], builder);
            emitter.Emit();
            // Small functions with loops (memcpy, memset, a hash's compression function) are hot
            // when they run at all: tiering would run them as unoptimised tier-0 code for their
            // first 30 calls plus the runtime's call-counting delay, a large share of a short
            // program (RATIONALE.md, "Persisted code"). They are compiled fully optimised at once,
            // and so are functions that call themselves, which OSR cannot lift out of tier 0
            // (the json benchmark's put_value was tier-0 code in 7% of the program's samples).
            int size = definition.Bodies[i].Code.Length;
            if (!forNativeCode && ((emitter.HasLoop && size <= FullyOptimizedBodySize) || (emitter.CallsItself && size <= RecursiveFullyOptimizedBodySize)))
                methods[i].SetImplementationFlags(MethodImplAttributes.NoInlining | MethodImplAttributes.AggressiveOptimization);
        }
        type.CreateType();

        var metadata = assembly.GenerateMetadata(out var ilStream, out var fieldData);
        // Set here rather than with SetCustomAttribute: PersistedAssemblyBuilder records an
        // assembly attribute whose constructor is defined in the same assembly with a nil token.
        var value = new BlobBuilder();
        value.WriteUInt16(1);
        value.WriteSerializedString(typeof(ModuleAssemblyBuilder).Assembly.GetName().Name);
        value.WriteUInt16(0);
        metadata.AddCustomAttribute(EntityHandle.AssemblyDefinition,
            MetadataTokens.MethodDefinitionHandle(ignoresAccessChecks.MetadataToken & 0xFFFFFF), metadata.GetOrAddBlob(value));

        int first = methods.Length > 0 ? methods[0].MetadataToken : 0;
        for (int i = 1; i < methods.Length; i++)
            if (methods[i].MetadataToken != first + i) throw new InvalidOperationException("generated methods are not numbered consecutively");

        var image = new ManagedPEBuilder(PEHeaderBuilder.CreateLibraryHeader(), new MetadataRootBuilder(metadata), ilStream, fieldData);
        var blob = new BlobBuilder();
        image.Serialize(blob);
        return (blob.ToArray(), first);
    }

    /// <summary>Every function of the module is in this assembly, so every call between them is direct.</summary>
    public override MethodInfo? DirectCallee(int definedIndex) => methods[definedIndex];

    public override bool IsProcessLocal => false;

    /// <summary>Func and Action live in CoreLib and can be referenced from another process; the
    /// delegate types System.Linq.Expressions makes for more than 16 parameters exist only in this one.</summary>
    public override MethodInfo DelegateInvoke(FunctionType type)
    {
        var delegateType = SignatureDelegates.Get(type);
        if (delegateType.Assembly != typeof(Func<>).Assembly)
            throw new NotSupportedException(
                $"the module calls a function of type {type} through a table or an import; compiled code for a function type with more than 16 parameters cannot be saved");
        return RuntimeMembers.InvokeOf(delegateType);
    }

    /// <summary>The runtime lets an assembly carrying [IgnoresAccessChecksTo("X")] use X's non-public
    /// members, which is what the skipVisibility flag of a DynamicMethod does; the attribute type is
    /// matched by name, so each generated assembly defines its own.</summary>
    private static ConstructorBuilder DefineIgnoresAccessChecksToAttribute(ModuleBuilder moduleBuilder)
    {
        var type = moduleBuilder.DefineType("System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute",
            TypeAttributes.NotPublic | TypeAttributes.Sealed | TypeAttributes.Class, typeof(Attribute));
        var constructor = type.DefineConstructor(MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName,
            CallingConventions.Standard, [typeof(string)]);
        constructor.DefineParameter(1, ParameterAttributes.None, "assemblyName");
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, typeof(Attribute).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes)!);
        il.Emit(OpCodes.Ret);
        type.CreateType();
        return constructor;
    }
}
