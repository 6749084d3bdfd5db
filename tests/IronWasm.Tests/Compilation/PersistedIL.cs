using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using IronWasm.Compilation;

namespace IronWasm.Tests.Compilation;

/// <summary>The IL the compiler emitted for one function, decoded from the compiled-module image
/// (the persisted assembly): for tests that pin down the shape of the code where the behaviour
/// alone cannot tell two lowerings apart.</summary>
internal sealed class PersistedIL
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields()
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The instructions in order: opcode, the local index of ldloc/stloc forms (-1 for
    /// others) and, for call, the called member's name.</summary>
    public IReadOnlyList<(OpCode OpCode, int Local, string? Callee)> Instructions { get; }

    private PersistedIL(List<(OpCode, int, string?)> instructions) => Instructions = instructions;

    public static PersistedIL Of(string wat, string function)
    {
        var module = IronWasm.Module.FromText(new Engine(), "test", wat);
        var (image, _) = ModuleAssemblyBuilder.Build(module.Compiled);
        using var pe = new PEReader(new MemoryStream(image));
        var metadata = pe.GetMetadataReader();
        var method = metadata.MethodDefinitions.Select(metadata.GetMethodDefinition)
            .Single(m => metadata.GetString(m.Name) == function);
        var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!;
        var instructions = new List<(OpCode, int, string?)>();
        for (int at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            var opcode = OpCodesByValue[value];
            at += opcode.Size;
            int operandAt = at;
            at += opcode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
            int local = opcode.Value switch
            {
                0x06 or 0x07 or 0x08 or 0x09 => opcode.Value - 0x06,   // ldloc.0-3
                0x0A or 0x0B or 0x0C or 0x0D => opcode.Value - 0x0A,   // stloc.0-3
                0x11 or 0x13 => il[operandAt],                         // ldloc.s, stloc.s
                unchecked((short)0xFE0C) or unchecked((short)0xFE0E) => BitConverter.ToUInt16(il, operandAt), // ldloc, stloc
                _ => -1,
            };
            string? callee = null;
            if (opcode == OpCodes.Call)
            {
                var handle = MetadataTokens.EntityHandle(BitConverter.ToInt32(il, operandAt));
                callee = handle.Kind switch
                {
                    HandleKind.MemberReference => metadata.GetString(metadata.GetMemberReference((MemberReferenceHandle)handle).Name),
                    HandleKind.MethodDefinition => metadata.GetString(metadata.GetMethodDefinition((MethodDefinitionHandle)handle).Name),
                    _ => handle.Kind.ToString(),
                };
            }
            instructions.Add((opcode, local, callee));
        }
        return new PersistedIL(instructions);
    }

    public static bool IsLoadLocal(OpCode opcode) => opcode.Value is 0x06 or 0x07 or 0x08 or 0x09 or 0x11 or unchecked((short)0xFE0C);
}
