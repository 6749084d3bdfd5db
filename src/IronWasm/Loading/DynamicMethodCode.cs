using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using IronWasm.Compilation;
using IronWasm.Model;
using IronWasm.Runtime;
using ModuleDefinition = IronWasm.Model.ModuleDefinition;

namespace IronWasm.Loading;

/// <summary>Persisted code run as DynamicMethods (<see cref="CompiledCodeLoading.DynamicMethods"/>): the
/// image is read with System.Reflection.Metadata, never loaded as an assembly, and each function's
/// method is made from its stored IL when it is first needed, with the image's metadata tokens
/// replaced by tokens of the DynamicMethod's own scope (see RATIONALE.md, "DynamicMethods from stored IL").</summary>
internal sealed class DynamicMethodCode : PersistedCode
{
    private readonly PEReader _pe;
    private readonly MetadataReader _metadata;
    private readonly ImageMembers _members;
    private readonly int _firstRow;

    /// <summary>Per defined function: its DynamicMethod once declared, and whether its body is set.
    /// Guarded by <see cref="_lock"/>; a method is handed out only once its body, and the bodies of
    /// everything it can call, are set.</summary>
    private readonly DynamicMethod?[] _methods;
    private readonly bool[] _built;
    private readonly object _lock = new();

    /// <summary>The functions declared by the <see cref="BuildReachable"/> under way.</summary>
    private readonly List<int> _declaredThisRound = [];

    private DynamicMethodCode(ReadOnlyMemory<byte> image, PEReader pe, int firstMethodToken, ModuleDefinition definition, bool readyToRun)
        : base(image, firstMethodToken, definition, readyToRun)
    {
        _pe = pe;
        _metadata = pe.GetMetadataReader();
        _members = new ImageMembers(_metadata);
        _firstRow = firstMethodToken & 0xFFFFFF;
        _methods = new DynamicMethod?[FunctionCount];
        _built = new bool[FunctionCount];
    }

    public override CompiledCodeLoading Loading => CompiledCodeLoading.DynamicMethods;

    /// <inheritdoc cref="PersistedCode.Load"/>
    public static DynamicMethodCode Load(ReadOnlyMemory<byte> image, int firstMethodToken, ModuleDefinition definition, bool readyToRun)
    {
        // The reader keeps the array (pinning it while it reads); the module keeps the image anyway.
        var array = MemoryMarshal.TryGetArray(image, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array : image.ToArray();
        var pe = new PEReader(ImmutableCollectionsMarshal.AsImmutableArray(array));
        var code = new DynamicMethodCode(array, pe, firstMethodToken, definition, readyToRun);
        code.CheckShape();
        return code;
    }

    /// <summary>The checks the assembly loader makes before anything runs: the image has metadata, and
    /// the generated type holds exactly the module's functions, each with a body.</summary>
    private void CheckShape()
    {
        if (FunctionCount > 0 && !HoldsTheModulesFunctions()) throw new BadImageFormatException("the compiled code does not match the module");
    }

    private bool HoldsTheModulesFunctions()
    {
        foreach (var handle in _metadata.TypeDefinitions)
        {
            var type = _metadata.GetTypeDefinition(handle);
            if (!_metadata.StringComparer.Equals(type.Name, ModuleAssemblyBuilder.TypeSimpleName)
                || !_metadata.StringComparer.Equals(type.Namespace, ModuleAssemblyBuilder.TypeNamespace)) continue;
            var methods = type.GetMethods();
            if (methods.Count != FunctionCount) return false;
            int row = _firstRow;
            foreach (var method in methods)
                if (MetadataTokens.GetRowNumber(method) != row++ || _metadata.GetMethodDefinition(method).RelativeVirtualAddress == 0) return false;
            return true;
        }
        return false;
    }

    public override MethodInfo Resolve(int definedIndex)
    {
        if ((uint)definedIndex >= (uint)FunctionCount) throw new ArgumentOutOfRangeException(nameof(definedIndex));
        lock (_lock)
        {
            if (!_built[definedIndex])
            {
                try
                {
                    BuildReachable(definedIndex);
                }
                catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or ArgumentException or TypeLoadException or MissingMemberException or NotSupportedException)
                {
                    // Only an image forged to pass the checksum gets here: the compiler writes none of these.
                    throw new SerializedModuleException(SerializedModuleError.InvalidCode,
                        $"{SerializedModuleException.Describe(SerializedModuleError.InvalidCode)}: function {Definition.ImportedFunctionCount + definedIndex}: {e.Message}", e);
                }
            }
            return _methods[definedIndex]!;
        }
    }

    /// <summary>Sets the bodies of <paramref name="definedIndex"/> and of every function it can reach
    /// through direct calls. The JIT resolves a callee's token when it compiles the caller, and that
    /// needs the callee's body; the callee's own callees are needed when the callee is compiled, at
    /// its first call, where nothing of ours runs. So a method is handed out only with everything it
    /// reaches ready (about 24 µs a body, 0.85 ms for the 35 that interp's _start reaches; the JIT
    /// compiles each at its own first call).</summary>
    private void BuildReachable(int definedIndex)
    {
        var pending = new Stack<int>();
        var tokens = new Dictionary<int, int>();
        try
        {
            Declare(definedIndex, pending);
            while (pending.TryPop(out int index))
            {
                tokens.Clear();
                SetBody(index, tokens, pending);
            }
            foreach (int index in _declaredThisRound) _built[index] = true;
        }
        catch
        {
            // None of this round is handed out, and a later call starts it afresh.
            foreach (int index in _declaredThisRound) _methods[index] = null;
            throw;
        }
        finally
        {
            _declaredThisRound.Clear();
        }
    }

    private DynamicMethod Declare(int definedIndex, Stack<int> pending)
    {
        if (_methods[definedIndex] is { } existing) return existing;
        int functionIndex = Definition.ImportedFunctionCount + definedIndex;
        var (returnType, parameterTypes) = FunctionCompiler.ClrSignature(Definition.FunctionSpace[functionIndex]);
        var method = new DynamicMethod(CompiledModule.MethodName(Definition, functionIndex), returnType, parameterTypes,
            typeof(DynamicMethodCode).Module, skipVisibility: true);
        _methods[definedIndex] = method;
        _declaredThisRound.Add(definedIndex);
        pending.Push(definedIndex);
        return method;
    }

    private void SetBody(int definedIndex, Dictionary<int, int> tokens, Stack<int> pending)
    {
        var method = _methods[definedIndex]!;
        var definition = _metadata.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(_firstRow + definedIndex));
        CheckParameterCount(definition, method);
        var body = _pe.GetMethodBody(definition.RelativeVirtualAddress);
        if (body.ExceptionRegions.Length != 0) throw new BadImageFormatException("exception handling regions, which compiled functions never have");

        var info = method.GetDynamicILInfo();
        var il = body.GetILBytes() ?? [];
        foreach (int operand in ILOperands.TokenPositions(il))
        {
            int token = BinaryPrimitives.ReadInt32LittleEndian(il.AsSpan(operand));
            if (!tokens.TryGetValue(token, out int mapped))
            {
                mapped = MapToken(info, token, pending);
                tokens.Add(token, mapped);
            }
            BinaryPrimitives.WriteInt32LittleEndian(il.AsSpan(operand), mapped);
        }
        info.SetCode(il, body.MaxStack);
        // Always set: without one the runtime reads an empty signature, which it rejects.
        info.SetLocalSignature(_members.LocalSignature(body.LocalSignature));
        method.InitLocals = body.LocalVariablesInitialized;
    }

    /// <summary>A cheap guard against a body meant for another signature: the parameter count.</summary>
    private void CheckParameterCount(MethodDefinition definition, DynamicMethod method)
    {
        var signature = _metadata.GetBlobReader(definition.Signature);
        var header = signature.ReadSignatureHeader();
        if (header.IsGeneric || header.IsInstance || signature.ReadCompressedInteger() != method.GetParameters().Length)
            throw new BadImageFormatException($"method {method.Name} has another signature than the module's function");
    }

    private int MapToken(DynamicILInfo info, int token, Stack<int> pending)
    {
        int row = token & 0xFFFFFF;
        switch ((uint)token >> 24)
        {
            case 0x06:
                int callee = row - _firstRow;
                if ((uint)callee >= (uint)FunctionCount) throw new BadImageFormatException($"a call to method 0x{token:X8}, which is not a function of the module");
                return info.GetTokenFor(Declare(callee, pending));
            case 0x70:
                return info.GetTokenFor(_metadata.GetUserString(MetadataTokens.UserStringHandle(row)));
            default:
                return _members.Resolve(token) switch
                {
                    Type type => info.GetTokenFor(type.TypeHandle),
                    FieldInfo field => field.DeclaringType is { IsGenericType: true } owner
                        ? info.GetTokenFor(field.FieldHandle, owner.TypeHandle)
                        : info.GetTokenFor(field.FieldHandle),
                    MethodBase method => method.DeclaringType is { IsGenericType: true } owner
                        ? info.GetTokenFor(method.MethodHandle, owner.TypeHandle)
                        : info.GetTokenFor(method.MethodHandle),
                    var other => throw new BadImageFormatException($"token 0x{token:X8} resolves to {other}"),
                };
        }
    }
}
