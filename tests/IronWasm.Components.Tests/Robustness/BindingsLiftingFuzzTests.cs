using IronWasm.Components.Bindings;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Tests.Bindings;
using IronWasm.Components.Tests.Bindings.Generated;

namespace IronWasm.Components.Tests.Robustness;

/// <summary>Arbitrary guest memory and core values thrown at the imports that generated host
/// bindings define (bindings-test.wit's `values` and `res`: every type kind, host resources own
/// and borrowed), through <see cref="BindingsGuest"/>'s relays, in every string encoding: each
/// call lifts (the host echoes the value back) or traps with a <see cref="CanonicalAbiTrapException"/>,
/// and the instance carries on.</summary>
public class BindingsLiftingFuzzTests
{
    /// <summary>Calls per function and encoding.</summary>
    private const int Iterations = 128;

    /// <summary>Calls per instance: a fresh one has an empty heap (the guest's allocator only grows).</summary>
    private const int CallsPerInstance = 32;

    /// <summary>A hang guard, not a speed goal.</summary>
    private const int HangTimeout = 300_000;

    private const string Drop = "[resource-drop]counter";

    public static TheoryData<StringEncoding> Encodings => new() { StringEncoding.Utf8, StringEncoding.Utf16, StringEncoding.Latin1Utf16 };

    private static readonly Lazy<Module> SharedModule = new(() => Module.FromText(new Engine(), "bindings-guest", BindingsGuest.Wat));

    /// <summary>The generated imports on a fresh instance of <see cref="BindingsGuest"/>'s module.</summary>
    private sealed class Target
    {
        public Target(StringEncoding encoding)
        {
            var module = SharedModule.Value;
            var linker = new Linker(module.Engine);
            Canonical = new CanonicalInstance(encoding);
            Values.Define(linker, Canonical, new ValuesHost());
            Res.Define(linker, Canonical, new ResHost());
            Instance = linker.Instantiate(new Store(module.Engine), module);
            Canonical.Bind(Instance);
            HostBindings.UseResources(Canonical, BindingsGuest.World);
            // Live handles for the arbitrary data to name.
            for (int i = 0; i < 6; i++) Call("[constructor]counter", [WasmValue.FromInt32(i)], new WasmValue[1]);
        }

        public Instance Instance { get; }
        public CanonicalInstance Canonical { get; }
        public Memory Memory => Instance.GetMemory("memory")!;

        public void Call(string function, WasmValue[] arguments, WasmValue[] results) =>
            Instance.GetFunction("relay " + function)!.Invoke(arguments, results);
    }

    [Theory(Timeout = HangTimeout)]
    [MemberData(nameof(Encodings))]
    public Task GeneratedImportsGivenArbitraryArgumentsLiftOrTrap(StringEncoding encoding) => Task.Run(() =>
    {
        var outcomes = new LiftOutcomes();
        var functions = BindingsGuest.Values.Functions.Concat(BindingsGuest.Res.Functions).ToList();
        for (int f = 0; f < functions.Count; f++)
        {
            var function = functions[f];
            var layout = FunctionLayout.Of(function);
            int seed = 0xB1D + 1000 * (int)encoding + f;
            var data = new ArbitraryGuestData(seed);
            Target target = null!;
            var inputs = new FuzzInputs(data, encoding, () => target.Memory, () => data.Random.Next(1, 9));
            var results = new WasmValue[layout.LowerType.Results.Count];
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                if (iteration % CallsPerInstance == 0)
                {
                    if (target is not null) AssertNoHandleIsLent(target);
                    target = new Target(encoding);
                }
                inputs.Scramble(iteration);
                var arguments = inputs.ImportArguments(layout);
                outcomes.Run(function.CanonicalName, $"seed {seed}, iteration {iteration}",
                    () => target.Call(function.CanonicalName, arguments, results));
                // Now and then the guest drops an arbitrary handle.
                if (data.Random.Next(8) == 0)
                    outcomes.Run(Drop, $"seed {seed}, iteration {iteration}", () => target.Call(Drop, [data.Flat(ValueKind.I32, target.Memory.Length)], []));
            }
            AssertNoHandleIsLent(target);
            AssertStillWorks(target);
        }
        outcomes.AssertCovered(functions.Select(f => f.CanonicalName),
            CanonicalAbiError.InvalidDiscriminant, CanonicalAbiError.InvalidChar, CanonicalAbiError.InvalidString,
            CanonicalAbiError.OutOfBounds, CanonicalAbiError.Misaligned, CanonicalAbiError.TooLong,
            CanonicalAbiError.InvalidHandle, CanonicalAbiError.UseAfterDrop);
    });

    /// <summary>No trap left a handle lent to a call that has ended: the guest can drop every live handle.</summary>
    private static void AssertNoHandleIsLent(Target target)
    {
        for (int index = 1; index < 256; index++)
        {
            try
            {
                target.Call(Drop, [WasmValue.FromInt32(index)], []);
            }
            catch (CanonicalAbiTrapException e) when (e.Error is CanonicalAbiError.InvalidHandle or CanonicalAbiError.UseAfterDrop)
            {
            }
        }
        Assert.Equal(0, target.Canonical.Handles.Count);
    }

    /// <summary>After all the traps the instance still answers.</summary>
    private static void AssertStillWorks(Target target)
    {
        var results = new WasmValue[1];
        target.Call("echo-u32", [WasmValue.FromInt32(7)], results);
        Assert.Equal(7, results[0].AsInt32());
        target.Call("[constructor]counter", [WasmValue.FromInt32(40)], results);
        int handle = results[0].AsInt32();
        target.Call("[method]counter.add", [WasmValue.FromInt32(handle), WasmValue.FromInt32(2)], results);
        Assert.Equal(42, results[0].AsInt32());
    }
}
