using System.Reflection;
using System.Runtime.Intrinsics;
using IronWasm.Binary;
using IronWasm.Compilation.Numerics;

namespace IronWasm.Tests.Numerics;

/// <summary>The compiler emits calls to NumericOps/SimdOps by opcode name; these tests pin the
/// names and signatures it relies on, derived from the opcode table.</summary>
public unsafe class NumericContractTests
{
    private static Type ClrType(ValueKind kind) => kind switch
    {
        ValueKind.I32 => typeof(int),
        ValueKind.I64 => typeof(long),
        ValueKind.F32 => typeof(float),
        ValueKind.F64 => typeof(double),
        ValueKind.V128 => typeof(Vector128<byte>),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static (Type[] Parameters, Type Return) ExpectedSimdSignature(OpcodeTable.Info info)
    {
        var operands = info.Operands!.Select(ClrType).ToList();
        var result = info.Results!.Length == 0 ? typeof(void) : ClrType(info.Results.Single());
        switch (info.Immediate)
        {
            case ImmediateKind.None: break;
            case ImmediateKind.Lane: operands.Add(typeof(byte)); break;
            case ImmediateKind.Shuffle: operands.Add(typeof(Vector128<byte>)); break;
            case ImmediateKind.MemArg:
                operands[0] = typeof(byte*); // the i32 address becomes a bounds-checked pointer
                break;
            case ImmediateKind.MemArgLane:
                operands[0] = typeof(byte*);
                operands.Add(typeof(byte));
                break;
            default: throw new InvalidOperationException($"unexpected immediate {info.Immediate} for {info.Opcode}");
        }
        return (operands.ToArray(), result);
    }

    private static List<string> SimdOpcodeNames() =>
        OpcodeTable.All.Where(info => OpcodeTable.Split(info.Opcode).Prefix == 0xFD && info.Opcode != Opcode.V128Const)
            .Select(info => info.Opcode.ToString()).ToList();

    private static List<string> ScalarOpcodeNamesInNumericOps() =>
        typeof(NumericOps).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(method => Enum.TryParse<Opcode>(method.Name, out _)).Select(method => method.Name).ToList();

    public static TheoryData<string> SimdOpcodes() => new(SimdOpcodeNames());

    public static TheoryData<string> ScalarOpcodesInNumericOps() => new(ScalarOpcodeNamesInNumericOps());

    [Fact]
    public void OpcodeTableListsEverySimdInstructionButConst() => Assert.Equal(235, SimdOpcodeNames().Count);

    [Theory]
    [MemberData(nameof(SimdOpcodes))]
    public void SimdOpsHasMethodWithContractSignature(string opcodeName)
    {
        var info = OpcodeTable.Get(Enum.Parse<Opcode>(opcodeName));
        var (parameters, returnType) = ExpectedSimdSignature(info);
        var method = typeof(SimdOps).GetMethod(opcodeName, BindingFlags.Public | BindingFlags.Static, parameters);
        Assert.True(method != null, $"SimdOps.{opcodeName}({string.Join(", ", parameters.Select(p => p.Name))}) is missing");
        Assert.Equal(returnType, method!.ReturnType);
    }

    [Theory]
    [MemberData(nameof(ScalarOpcodesInNumericOps))]
    public void NumericOpsMethodMatchesOpcodeSignature(string opcodeName)
    {
        var info = OpcodeTable.Get(Enum.Parse<Opcode>(opcodeName));
        var method = typeof(NumericOps).GetMethod(opcodeName, BindingFlags.Public | BindingFlags.Static, info.Operands!.Select(ClrType).ToArray());
        Assert.NotNull(method);
        Assert.Equal(ClrType(info.Results!.Single()), method!.ReturnType);
    }

    [Theory]
    [InlineData("I32DivS"), InlineData("I32DivU"), InlineData("I32RemS"), InlineData("I32RemU")]
    [InlineData("I64DivS"), InlineData("I64DivU"), InlineData("I64RemS"), InlineData("I64RemU")]
    [InlineData("I32Rotl"), InlineData("I32Rotr"), InlineData("I64Rotl"), InlineData("I64Rotr")]
    [InlineData("I32Clz"), InlineData("I32Ctz"), InlineData("I32Popcnt"), InlineData("I64Clz"), InlineData("I64Ctz"), InlineData("I64Popcnt")]
    [InlineData("F32Min"), InlineData("F32Max"), InlineData("F64Min"), InlineData("F64Max")]
    [InlineData("F32Nearest"), InlineData("F64Nearest"), InlineData("F32Ceil"), InlineData("F32Floor"), InlineData("F32Trunc"), InlineData("F32Sqrt")]
    [InlineData("F64Ceil"), InlineData("F64Floor"), InlineData("F64Trunc"), InlineData("F64Sqrt")]
    [InlineData("F32Copysign"), InlineData("F64Copysign"), InlineData("F32Abs"), InlineData("F32Neg"), InlineData("F64Abs"), InlineData("F64Neg")]
    [InlineData("I32TruncF32S"), InlineData("I32TruncF32U"), InlineData("I32TruncF64S"), InlineData("I32TruncF64U")]
    [InlineData("I64TruncF32S"), InlineData("I64TruncF32U"), InlineData("I64TruncF64S"), InlineData("I64TruncF64U")]
    [InlineData("I32TruncSatF32S"), InlineData("I32TruncSatF32U"), InlineData("I32TruncSatF64S"), InlineData("I32TruncSatF64U")]
    [InlineData("I64TruncSatF32S"), InlineData("I64TruncSatF32U"), InlineData("I64TruncSatF64S"), InlineData("I64TruncSatF64U")]
    [InlineData("F32ConvertI32U"), InlineData("F32ConvertI64S"), InlineData("F32ConvertI64U"), InlineData("F64ConvertI64U"), InlineData("F64ConvertI32U")]
    [InlineData("F32DemoteF64"), InlineData("F64PromoteF32")]
    public void NumericOpsHasRequiredMethod(string opcodeName) =>
        Assert.Contains(opcodeName, ScalarOpcodeNamesInNumericOps());
}
