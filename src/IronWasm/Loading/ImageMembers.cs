using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace IronWasm.Loading;

/// <summary>The runtime types, methods and fields a persisted image's metadata tokens stand for, found
/// without loading the image: type references by assembly and name, member references by name and
/// signature. Compiled code references only CoreLib and the engine, so only those are searched. Not
/// thread-safe (its <see cref="DynamicMethodCode"/> calls it under its lock); what it finds by
/// reflection is kept process-wide, so modules after the first mostly look up dictionaries.</summary>
internal sealed class ImageMembers(MetadataReader metadata) : ISignatureTypeProvider<Type, ImageMembers.GenericContext>
{
    /// <summary>The generic parameters of the type whose member a signature belongs to, for <c>!n</c>.</summary>
    internal readonly record struct GenericContext(Type[]? TypeParameters);

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private static readonly ConcurrentDictionary<(Assembly, string), Type> TypesByName = new();
    private static readonly ConcurrentDictionary<(Type, string), MethodBase[]> MethodsByName = new();
    private static readonly string CoreLibName = typeof(object).Assembly.GetName().Name!;
    private static readonly string EngineName = typeof(ImageMembers).Assembly.GetName().Name!;

    private readonly Dictionary<int, object> _resolved = [];
    private readonly Dictionary<TypeReferenceHandle, Type> _typeReferences = [];

    /// <summary>The <see cref="Type"/>, <see cref="FieldInfo"/> or <see cref="MethodBase"/> of a type,
    /// member reference or method instantiation token of the image.</summary>
    public object Resolve(int token)
    {
        if (_resolved.TryGetValue(token, out var resolved)) return resolved;
        EntityHandle handle;
        try { handle = MetadataTokens.EntityHandle(token); }
        catch (ArgumentException) { throw new BadImageFormatException($"0x{token:X8} is not a metadata token"); }
        resolved = handle.Kind switch
        {
            HandleKind.TypeReference => GetTypeFromReference(metadata, (TypeReferenceHandle)handle, 0),
            HandleKind.TypeSpecification => GetTypeFromSpecification(metadata, default, (TypeSpecificationHandle)handle, 0),
            HandleKind.MemberReference => FromMemberReference((MemberReferenceHandle)handle),
            HandleKind.MethodSpecification => FromMethodSpecification((MethodSpecificationHandle)handle),
            _ => throw new BadImageFormatException($"token 0x{token:X8} is of a kind ({handle.Kind}) compiled code does not use"),
        };
        _resolved.Add(token, resolved);
        return resolved;
    }

    /// <summary>The local variable signature <paramref name="handle"/> (none when nil), encoded for a DynamicMethod
    /// (types by runtime handle, as an ILGenerator of a DynamicMethod encodes them).</summary>
    public byte[] LocalSignature(StandaloneSignatureHandle handle)
    {
        var signature = SignatureHelper.GetLocalVarSigHelper();
        if (!handle.IsNil)
            foreach (var local in metadata.GetStandaloneSignature(handle).DecodeLocalSignature(this, default)) signature.AddArgument(local);
        return signature.GetSignature();
    }

    private object FromMemberReference(MemberReferenceHandle handle)
    {
        var reference = metadata.GetMemberReference(handle);
        Type owner = reference.Parent.Kind switch
        {
            HandleKind.TypeReference => GetTypeFromReference(metadata, (TypeReferenceHandle)reference.Parent, 0),
            HandleKind.TypeSpecification => GetTypeFromSpecification(metadata, default, (TypeSpecificationHandle)reference.Parent, 0),
            var kind => throw new BadImageFormatException($"a member reference whose parent is a {kind}"),
        };
        // Members of a generic instantiation are looked up on the definition, where the signature's
        // !n are the definition's own type parameters, then moved to the instantiation.
        var definition = owner.IsConstructedGenericType ? owner.GetGenericTypeDefinition() : owner;
        var context = new GenericContext(definition.IsGenericTypeDefinition ? definition.GetGenericArguments() : null);
        string name = metadata.GetString(reference.Name);
        if (reference.GetKind() == MemberReferenceKind.Field)
        {
            var fieldType = reference.DecodeFieldSignature(this, context);
            var field = definition.GetField(name, Declared);
            if (field is null || !Same(fieldType, field.FieldType)) throw new MissingFieldException(definition.FullName, name);
            return owner == definition ? field : owner.GetField(name, Declared)!;
        }
        var signature = reference.DecodeMethodSignature(this, context);
        var method = FindMethod(definition, name, signature) ?? throw new MissingMethodException(definition.FullName, name);
        return owner == definition ? method : MethodBase.GetMethodFromHandle(method.MethodHandle, owner.TypeHandle)!;
    }

    private MethodBase FromMethodSpecification(MethodSpecificationHandle handle)
    {
        var specification = metadata.GetMethodSpecification(handle);
        if (Resolve(MetadataTokens.GetToken(specification.Method)) is not MethodInfo { IsGenericMethodDefinition: true } generic)
            throw new BadImageFormatException("a method instantiation of a method that is not generic");
        return generic.MakeGenericMethod([.. specification.DecodeSignature(this, default)]);
    }

    private static MethodBase? FindMethod(Type type, string name, MethodSignature<Type> signature)
    {
        var candidates = MethodsByName.GetOrAdd((type, name), static key => key.Item2 == ".ctor"
            ? key.Item1.GetConstructors(Declared & ~BindingFlags.Static)
            : Array.ConvertAll(key.Item1.GetMember(key.Item2, MemberTypes.Method, Declared), member => (MethodBase)member));
        foreach (var candidate in candidates)
        {
            if (candidate.IsStatic == signature.Header.IsInstance) continue;
            int arity = candidate.IsGenericMethodDefinition ? candidate.GetGenericArguments().Length : 0;
            if (arity != signature.GenericParameterCount) continue;
            if (!Same(signature.ReturnType, candidate is MethodInfo method ? method.ReturnType : typeof(void))) continue;
            var parameters = candidate.GetParameters();
            if (parameters.Length != signature.ParameterTypes.Length) continue;
            bool same = true;
            for (int i = 0; same && i < parameters.Length; i++) same = Same(signature.ParameterTypes[i], parameters[i].ParameterType);
            if (same) return candidate;
        }
        return null;
    }

    /// <summary>Whether a type decoded from a signature is the type of a member's declaration.
    /// Generic method parameters are decoded as signature types (<see cref="Type.MakeGenericMethodParameter"/>),
    /// which match by position.</summary>
    private static bool Same(Type decoded, Type declared)
    {
        if (ReferenceEquals(decoded, declared)) return true;
        if (decoded.IsGenericMethodParameter)
            return declared.IsGenericMethodParameter && declared.GenericParameterPosition == decoded.GenericParameterPosition;
        if (decoded.HasElementType)
        {
            return declared.HasElementType && decoded.IsByRef == declared.IsByRef && decoded.IsPointer == declared.IsPointer
                && decoded.IsSZArray == declared.IsSZArray && (!decoded.IsArray || decoded.GetArrayRank() == declared.GetArrayRank())
                && Same(decoded.GetElementType()!, declared.GetElementType()!);
        }
        if (!decoded.IsConstructedGenericType || !declared.IsConstructedGenericType) return false;
        if (decoded.GetGenericTypeDefinition() != declared.GetGenericTypeDefinition()) return false;
        var decodedArguments = decoded.GenericTypeArguments;
        var declaredArguments = declared.GenericTypeArguments;
        for (int i = 0; i < decodedArguments.Length; i++)
            if (!Same(decodedArguments[i], declaredArguments[i])) return false;
        return true;
    }

    private static Assembly AssemblyNamed(string name) =>
        name == CoreLibName ? typeof(object).Assembly
        : name == EngineName ? typeof(ImageMembers).Assembly
        : throw new BadImageFormatException($"a reference to assembly {name}; compiled code references only {CoreLibName} and {EngineName}");

    // ---- ISignatureTypeProvider ----

    public Type GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        if (_typeReferences.TryGetValue(handle, out var type)) return type;
        var reference = reader.GetTypeReference(handle);
        string name = reader.GetString(reference.Name);
        var scope = reference.ResolutionScope;
        if (scope.Kind == HandleKind.TypeReference)
        {
            var outer = GetTypeFromReference(reader, (TypeReferenceHandle)scope, 0);
            type = outer.GetNestedType(name, BindingFlags.Public | BindingFlags.NonPublic) ?? throw new TypeLoadException($"{outer.FullName} has no nested type {name}");
        }
        else if (scope.Kind == HandleKind.AssemblyReference)
        {
            var assembly = AssemblyNamed(reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name));
            string space = reader.GetString(reference.Namespace);
            type = TypesByName.GetOrAdd((assembly, space.Length == 0 ? name : space + "." + name),
                static key => key.Item1.GetType(key.Item2, throwOnError: true)!);
        }
        else
        {
            throw new BadImageFormatException($"a type reference resolved through a {scope.Kind}");
        }
        _typeReferences.Add(handle, type);
        return type;
    }

    public Type GetTypeFromSpecification(MetadataReader reader, GenericContext genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public Type GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        throw new BadImageFormatException("compiled code refers to a type of its own image");

    public Type GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Boolean => typeof(bool),
        PrimitiveTypeCode.Byte => typeof(byte),
        PrimitiveTypeCode.SByte => typeof(sbyte),
        PrimitiveTypeCode.Char => typeof(char),
        PrimitiveTypeCode.Int16 => typeof(short),
        PrimitiveTypeCode.UInt16 => typeof(ushort),
        PrimitiveTypeCode.Int32 => typeof(int),
        PrimitiveTypeCode.UInt32 => typeof(uint),
        PrimitiveTypeCode.Int64 => typeof(long),
        PrimitiveTypeCode.UInt64 => typeof(ulong),
        PrimitiveTypeCode.Single => typeof(float),
        PrimitiveTypeCode.Double => typeof(double),
        PrimitiveTypeCode.IntPtr => typeof(nint),
        PrimitiveTypeCode.UIntPtr => typeof(nuint),
        PrimitiveTypeCode.Object => typeof(object),
        PrimitiveTypeCode.String => typeof(string),
        PrimitiveTypeCode.Void => typeof(void),
        _ => throw new BadImageFormatException($"primitive type {typeCode}, which compiled code does not use"),
    };

    public Type GetGenericInstantiation(Type genericType, ImmutableArray<Type> typeArguments) => genericType.MakeGenericType([.. typeArguments]);

    public Type GetGenericTypeParameter(GenericContext genericContext, int index) =>
        genericContext.TypeParameters is { } parameters && (uint)index < (uint)parameters.Length
            ? parameters[index]
            : throw new BadImageFormatException($"type parameter !{index} outside a generic type");

    public Type GetGenericMethodParameter(GenericContext genericContext, int index) => Type.MakeGenericMethodParameter(index);

    public Type GetSZArrayType(Type elementType) => elementType.MakeArrayType();

    public Type GetArrayType(Type elementType, ArrayShape shape) => elementType.MakeArrayType(shape.Rank);

    public Type GetByReferenceType(Type elementType) => elementType.MakeByRefType();

    public Type GetPointerType(Type elementType) => elementType.MakePointerType();

    public Type GetModifiedType(Type modifier, Type unmodifiedType, bool isRequired) => unmodifiedType;

    public Type GetPinnedType(Type elementType) => throw new BadImageFormatException("a pinned local, which compiled code does not use");

    public Type GetFunctionPointerType(MethodSignature<Type> signature) => throw new BadImageFormatException("a function pointer type, which compiled code does not use");
}
