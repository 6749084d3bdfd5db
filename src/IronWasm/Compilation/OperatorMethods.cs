using System.Reflection;
using IronWasm.Binary;

namespace IronWasm.Compilation;

/// <summary>Finds the static helper that implements an instruction the compiler does not expand
/// inline: a method of Numerics/NumericOps or Numerics/SimdOps named exactly like the
/// <see cref="Opcode"/> member. Built once, by reflection, on first use.</summary>
internal static class OperatorMethods
{
    private static readonly Dictionary<Opcode, MethodInfo> Methods = Build();

    public static bool TryGet(Opcode opcode, out MethodInfo method) => Methods.TryGetValue(opcode, out method!);

    public static MethodInfo Get(Opcode opcode) =>
        Methods.TryGetValue(opcode, out var method)
            ? method
            : throw new InvalidOperationException($"No helper implements {OpcodeTable.Get(opcode).Mnemonic} (expected a static method named {opcode} in NumericOps or SimdOps).");

    private static Dictionary<Opcode, MethodInfo> Build()
    {
        var result = new Dictionary<Opcode, MethodInfo>();
        var assembly = typeof(OperatorMethods).Assembly;
        foreach (var typeName in (string[])["IronWasm.Compilation.Numerics.NumericOps", "IronWasm.Compilation.Numerics.SimdOps"])
        {
            var type = assembly.GetType(typeName);
            if (type is null) continue;
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            {
                if (Enum.TryParse<Opcode>(method.Name, out var opcode) && Enum.IsDefined(opcode) && method.Name == opcode.ToString())
                    result.TryAdd(opcode, method);
            }
        }
        return result;
    }
}
