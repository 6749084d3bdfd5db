using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Tests.Bindings;

namespace IronWasm.Components.Tests.Robustness;

/// <summary>A guest can claim any length up to 4 GiB - 1 for a list or string. Every lifting path
/// checks the length against the canonical ABI's limit before allocating anything for the
/// elements, so a huge length traps (<see cref="CanonicalAbiError.TooLong"/>) instead of making
/// the host run out of memory.</summary>
public class HugeLengthTests
{
    private static readonly Lazy<Module> SharedModule = new(() => Module.FromText(new Engine(), "fuzz-guest", FuzzGuest.Wat));

    /// <summary>Lengths past the limit in every encoding (for latin1+utf16, 0x8000_0000 would be a
    /// tagged empty UTF-16 string, so 0x9000_0000 stands for 2 GiB and more).</summary>
    private static readonly uint[] Lengths = [0xFFFF_FFFF, 0x9000_0000, 0x1000_0000];

    public static TheoryData<string, StringEncoding, uint> DynamicCases() =>
        Cases(["string", "list<u8>", "list<u64>", "list<string>", "list<list<u8>>", "list<mixed>", "map<string, u32>"]);

    public static TheoryData<string, StringEncoding, uint> BindingCases() =>
        Cases(["echo-string", "echo-bytes", "echo-u32s", "echo-strings", "echo-shapes", "echo-map", "echo-nested"]);

    private static TheoryData<string, StringEncoding, uint> Cases(string[] subjects)
    {
        var cases = new TheoryData<string, StringEncoding, uint>();
        foreach (var subject in subjects)
        {
            foreach (var encoding in Enum.GetValues<StringEncoding>())
            {
                foreach (uint length in Lengths) cases.Add(subject, encoding, length);
            }
        }
        return cases;
    }

    private static CanonicalAbiError Trap(Action action) => Assert.Throws<CanonicalAbiTrapException>(action).Error;

    [Theory]
    [MemberData(nameof(DynamicCases))]
    public void HugeLengthsTrapInEveryDynamicLiftingPath(string type, StringEncoding encoding, uint length)
    {
        int t = Array.IndexOf(FuzzWit.Types, type);
        var layout = FuzzWit.Layout(t);
        var guest = new FuzzGuest(SharedModule.Value, encoding);
        guest.Memory.WriteInt32(0x100, 0x200);
        guest.Memory.WriteInt32(0x104, (int)length);
        WasmValue[] flat = [WasmValue.FromInt32(0x200), WasmValue.FromInt32((int)length)];
        var cx = new LiftLowerContext(guest.Canonical);

        Assert.Equal(CanonicalAbiError.TooLong, Trap(() => cx.Load(layout, 0x100)));
        Assert.Equal(CanonicalAbiError.TooLong, Trap(() =>
        {
            int position = 0;
            cx.LiftFlat(layout, flat, ref position);
        }));
        Assert.Equal(CanonicalAbiError.TooLong, Trap(() => guest.CallImport(FuzzWit.Echo(t), [.. flat, WasmValue.FromInt32(0x400)], [])));
        var export = guest.Export(FuzzWit.Results.FindFunction($"get{t}")!);
        guest.SetResult(WasmValue.FromInt32(0x100));
        Assert.Equal(CanonicalAbiError.TooLong, Trap(() => export.Invoke()));
        Assert.Equal(0, guest.PostReturns);
    }

    [Theory]
    [MemberData(nameof(BindingCases))]
    public void HugeLengthsTrapInGeneratedBindings(string function, StringEncoding encoding, uint length)
    {
        var guest = new BindingsGuest(encoding);
        Assert.Equal(CanonicalAbiError.TooLong, Trap(() => guest.RawInt(function, 0x200, (int)length, BindingsGuest.ReturnArea)));
        Assert.Empty(guest.ValuesHost.Received);
    }
}
