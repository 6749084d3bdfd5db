using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

/// <summary>The runtime and BCL members compiled code touches, looked up by reflection once per
/// process so compiling a function does no reflection work per instruction.</summary>
internal static class RuntimeMembers
{
    private const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
    private const BindingFlags Instance = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    public static readonly FieldInfo ContextMemory0 = Field<InstanceContext>(nameof(InstanceContext.Memory0));
    public static readonly FieldInfo ContextTables = Field<InstanceContext>(nameof(InstanceContext.Tables));
    public static readonly FieldInfo ContextGlobals = Field<InstanceContext>(nameof(InstanceContext.Globals));
    public static readonly FieldInfo ContextFunctions = Field<InstanceContext>(nameof(InstanceContext.Functions));
    public static readonly FieldInfo ContextElementSegments = Field<InstanceContext>(nameof(InstanceContext.ElementSegments));
    public static readonly FieldInfo ContextDataSegments = Field<InstanceContext>(nameof(InstanceContext.DataSegments));
    public static readonly FieldInfo ContextExecution = Field<InstanceContext>(nameof(InstanceContext.Execution));
    public static readonly FieldInfo ContextTypeIds = Field<InstanceContext>(nameof(InstanceContext.TypeIds));

    public static readonly FieldInfo ExecutionCallDepth = Field<ExecutionState>(nameof(ExecutionState.CallDepth));
    public static readonly FieldInfo ExecutionMaxCallDepth = Field<ExecutionState>(nameof(ExecutionState.MaxCallDepth));
    public static readonly FieldInfo ExecutionFuel = Field<ExecutionState>(nameof(ExecutionState.Fuel));
    public static readonly MethodInfo ExecutionOnFuelExhausted = Method<ExecutionState>(nameof(ExecutionState.OnFuelExhausted));
    public static readonly MethodInfo ExecutionCheckInterrupt = Method<ExecutionState>(nameof(ExecutionState.CheckInterrupt));

    public static readonly FieldInfo MemoryBase = Field<MemoryInstance>(nameof(MemoryInstance.Base));
    public static readonly FieldInfo MemoryLength = Field<MemoryInstance>(nameof(MemoryInstance.Length));
    public static readonly MethodInfo MemoryGrow = Method<MemoryInstance>(nameof(MemoryInstance.Grow));
    public static readonly MethodInfo MemoryFill = Method<MemoryInstance>(nameof(MemoryInstance.Fill));
    public static readonly MethodInfo MemoryInit = Method<MemoryInstance>(nameof(MemoryInstance.Init));
    public static readonly unsafe MethodInfo BufferMemoryCopy =
        typeof(Buffer).GetMethod(nameof(Buffer.MemoryCopy), Static, [typeof(void*), typeof(void*), typeof(ulong), typeof(ulong)])!;

    public static readonly FieldInfo TableElements = Field<TableInstance>(nameof(TableInstance.Elements));
    public static readonly FieldInfo TableLength = Field<TableInstance>(nameof(TableInstance.Length));
    public static readonly MethodInfo TableGet = Method<TableInstance>(nameof(TableInstance.Get));
    public static readonly MethodInfo TableSet = Method<TableInstance>(nameof(TableInstance.Set));
    public static readonly MethodInfo TableGrow = Method<TableInstance>(nameof(TableInstance.Grow));
    public static readonly MethodInfo TableFill = Method<TableInstance>(nameof(TableInstance.Fill));
    public static readonly MethodInfo TableCopy = Method<TableInstance>(nameof(TableInstance.Copy));
    public static readonly MethodInfo TableInit = Method<TableInstance>(nameof(TableInstance.Init));

    public static readonly FieldInfo GlobalBits = Field<GlobalInstance>(nameof(GlobalInstance.Bits));
    public static readonly FieldInfo GlobalVector = Field<GlobalInstance>(nameof(GlobalInstance.Vector));
    public static readonly FieldInfo GlobalReference = Field<GlobalInstance>(nameof(GlobalInstance.Reference));

    public static readonly FieldInfo FunctionCallable = Field<FunctionInstance>(nameof(FunctionInstance.Callable));
    public static readonly FieldInfo FunctionTypeId = Field<FunctionInstance>(nameof(FunctionInstance.TypeId));

    public static readonly MethodInfo TrapsThrow = typeof(Traps).GetMethod(nameof(Traps.Throw), Static)!;
    public static readonly MethodInfo TryEnsureSufficientExecutionStack =
        typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.TryEnsureSufficientExecutionStack), Static)!;
    public static readonly MethodInfo EmptyObjectArray = typeof(Array).GetMethod(nameof(Array.Empty), Static)!.MakeGenericMethod(typeof(object));

    public static readonly MethodInfo Int32BitsToSingle = BitConverterMethod(nameof(BitConverter.Int32BitsToSingle), typeof(int));
    public static readonly MethodInfo SingleToInt32Bits = BitConverterMethod(nameof(BitConverter.SingleToInt32Bits), typeof(float));
    public static readonly MethodInfo Int64BitsToDouble = BitConverterMethod(nameof(BitConverter.Int64BitsToDouble), typeof(long));
    public static readonly MethodInfo DoubleToInt64Bits = BitConverterMethod(nameof(BitConverter.DoubleToInt64Bits), typeof(double));

    public static readonly MethodInfo LeadingZeroCount32 = BitOperationsMethod(nameof(BitOperations.LeadingZeroCount), typeof(uint));
    public static readonly MethodInfo LeadingZeroCount64 = BitOperationsMethod(nameof(BitOperations.LeadingZeroCount), typeof(ulong));
    public static readonly MethodInfo TrailingZeroCount32 = BitOperationsMethod(nameof(BitOperations.TrailingZeroCount), typeof(int));
    public static readonly MethodInfo TrailingZeroCount64 = BitOperationsMethod(nameof(BitOperations.TrailingZeroCount), typeof(long));
    public static readonly MethodInfo PopCount32 = BitOperationsMethod(nameof(BitOperations.PopCount), typeof(uint));
    public static readonly MethodInfo PopCount64 = BitOperationsMethod(nameof(BitOperations.PopCount), typeof(ulong));
    public static readonly MethodInfo RotateLeft32 = BitOperationsMethod(nameof(BitOperations.RotateLeft), typeof(uint), typeof(int));
    public static readonly MethodInfo RotateLeft64 = BitOperationsMethod(nameof(BitOperations.RotateLeft), typeof(ulong), typeof(int));
    public static readonly MethodInfo RotateRight32 = BitOperationsMethod(nameof(BitOperations.RotateRight), typeof(uint), typeof(int));
    public static readonly MethodInfo RotateRight64 = BitOperationsMethod(nameof(BitOperations.RotateRight), typeof(ulong), typeof(int));

    public static readonly MethodInfo QuietSingle = typeof(FloatIdentities).GetMethod(nameof(FloatIdentities.QuietIfNaN), [typeof(float)])!;
    public static readonly MethodInfo QuietDouble = typeof(FloatIdentities).GetMethod(nameof(FloatIdentities.QuietIfNaN), [typeof(double)])!;
    public static readonly MethodInfo SingleFromBits = typeof(Numerics.NumericOps).GetMethod(nameof(Numerics.NumericOps.F32FromBits))!;
    public static readonly MethodInfo DoubleFromBits = typeof(FloatIdentities).GetMethod(nameof(FloatIdentities.DoubleFromBits))!;

    public static readonly MethodInfo SqrtSingle = typeof(MathF).GetMethod(nameof(MathF.Sqrt), [typeof(float)])!;
    public static readonly MethodInfo SqrtDouble = typeof(Math).GetMethod(nameof(Math.Sqrt), [typeof(double)])!;

    /// <summary>Vector128.Create(ulong, ulong), to build v128 constants from two halves.</summary>
    public static readonly MethodInfo Vector128CreateUInt64 = typeof(Vector128).GetMethod(nameof(Vector128.Create), [typeof(ulong), typeof(ulong)])!;
    public static readonly MethodInfo Vector128AsByteUInt64 = typeof(Vector128).GetMethods(Static)
        .Single(m => m.Name == nameof(Vector128.AsByte) && m.IsGenericMethodDefinition).MakeGenericMethod(typeof(ulong));

    public static readonly MethodInfo SimdShuffleFirst = typeof(Numerics.SimdOps).GetMethod(nameof(Numerics.SimdOps.ShuffleFirst), Static)!;
    public static readonly MethodInfo SimdShuffleSecond = typeof(Numerics.SimdOps).GetMethod(nameof(Numerics.SimdOps.ShuffleSecond), Static)!;
    public static readonly MethodInfo SimdShuffleBoth = typeof(Numerics.SimdOps).GetMethod(nameof(Numerics.SimdOps.ShuffleBoth), Static)!;
    public static readonly MethodInfo SimdExtendLowBytesToI32U = typeof(Numerics.SimdOps).GetMethod(nameof(Numerics.SimdOps.ExtendLowBytesToI32U), Static)!;
    public static readonly MethodInfo SimdExtendLowBytesToI32S = typeof(Numerics.SimdOps).GetMethod(nameof(Numerics.SimdOps.ExtendLowBytesToI32S), Static)!;
    public static readonly MethodInfo SimdShuffleConcat = typeof(Numerics.SimdOps).GetMethod(nameof(Numerics.SimdOps.ShuffleConcat), Static)!;

    private static readonly ConcurrentDictionary<Type, MethodInfo> InvokeMethods = new();

    /// <summary>The Invoke method of a delegate type.</summary>
    public static MethodInfo InvokeOf(Type delegateType) =>
        InvokeMethods.GetOrAdd(delegateType, static t => t.GetMethod("Invoke")!);

    private static FieldInfo Field<T>(string name) =>
        typeof(T).GetField(name, Instance) ?? throw new MissingFieldException(typeof(T).Name, name);

    private static MethodInfo Method<T>(string name) =>
        typeof(T).GetMethod(name, Instance | Static) ?? throw new MissingMethodException(typeof(T).Name, name);

    private static MethodInfo BitConverterMethod(string name, Type argument) => typeof(BitConverter).GetMethod(name, [argument])!;

    private static MethodInfo BitOperationsMethod(string name, params Type[] arguments) => typeof(BitOperations).GetMethod(name, arguments)!;
}
