using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;

namespace IronWasm.Components.Tests.Robustness;

/// <summary>Arbitrary guest memory and core values thrown at the dynamic canonical ABI
/// (<see cref="LiftLowerContext"/>, host imports defined with
/// <see cref="ComponentLinkerExtensions.DefineInterface"/>, results of <see cref="GuestFunction"/>),
/// for every type of <see cref="FuzzWit"/> and every string encoding: each attempt lifts or traps
/// with a <see cref="CanonicalAbiTrapException"/>, and the host and the guest carry on. Seeds are
/// fixed, so a failure names the seed and iteration that reproduce it.</summary>
public class DynamicLiftingFuzzTests
{
    /// <summary>Attempts per type (or function) and encoding.</summary>
    private const int Iterations = 128;

    /// <summary>A hang guard, not a speed goal: the tests take about a second each.</summary>
    private const int HangTimeout = 300_000;

    private static readonly CanonicalAbiError[] ValueErrors =
    [
        CanonicalAbiError.InvalidDiscriminant, CanonicalAbiError.InvalidChar, CanonicalAbiError.InvalidString,
        CanonicalAbiError.OutOfBounds, CanonicalAbiError.Misaligned, CanonicalAbiError.TooLong,
    ];

    public static TheoryData<StringEncoding> Encodings => new() { StringEncoding.Utf8, StringEncoding.Utf16, StringEncoding.Latin1Utf16 };

    private static int Seed(StringEncoding encoding, int subject) => 0x5EED + 1000 * (int)encoding + subject;

    // One compiled module for the class (its tests run one at a time); each test instantiates it.
    private static readonly Lazy<Module> SharedModule = new(() => Module.FromText(new Engine(), "fuzz-guest", FuzzGuest.Wat));

    private static Module GuestModule() => SharedModule.Value;

    private static FuzzInputs Inputs(ArbitraryGuestData data, StringEncoding encoding, FuzzGuest guest) =>
        new(data, encoding, () => guest.Memory, () => data.Random.Next(1, 9));

    /// <summary>Fresh memory contents, at least six live handles, an empty heap.</summary>
    private static void Scramble(FuzzInputs inputs, FuzzGuest guest, int iteration)
    {
        inputs.Scramble(iteration);
        guest.AddHandles(6);
        guest.ResetHeap();
    }

    [Theory(Timeout = HangTimeout)]
    [MemberData(nameof(Encodings))]
    public Task LoadingAndFlatLiftingOfArbitraryDataLiftOrTrap(StringEncoding encoding) => Task.Run(() =>
    {
        var guest = new FuzzGuest(GuestModule(), encoding);
        var outcomes = new LiftOutcomes();
        for (int t = 0; t < FuzzWit.Types.Length; t++)
        {
            var layout = FuzzWit.Layout(t);
            int seed = Seed(encoding, t);
            var data = new ArbitraryGuestData(seed);
            var inputs = Inputs(data, encoding, guest);
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                Scramble(inputs, guest, iteration);
                uint ptr = inputs.Stored(layout);
                var flat = inputs.Flat(layout);
                string context = $"seed {seed}, iteration {iteration}";
                var scope = new BorrowScope();
                var cx = new LiftLowerContext(guest.Canonical, scope);
                outcomes.Run(FuzzWit.Types[t], context + ", load", () => cx.Load(layout, ptr));
                outcomes.Run(FuzzWit.Types[t], context + ", flat", () =>
                {
                    int position = 0;
                    cx.LiftFlat(layout, flat, ref position);
                    if (position != flat.Length) throw new InvalidOperationException($"lifting used {position} of {flat.Length} flat values");
                });
                scope.EndCaller();
            }
        }
        outcomes.AssertCovered(FuzzWit.Types, [.. ValueErrors, CanonicalAbiError.InvalidHandle, CanonicalAbiError.UseAfterDrop]);
        AssertNoHandleIsLent(guest);
    });

    [Theory(Timeout = HangTimeout)]
    [MemberData(nameof(Encodings))]
    public Task HostImportsGivenArbitraryArgumentsLiftOrTrap(StringEncoding encoding) => Task.Run(() =>
    {
        var guest = new FuzzGuest(GuestModule(), encoding);
        var outcomes = new LiftOutcomes();
        var functions = FuzzWit.Fuzz.Functions;
        for (int f = 0; f < functions.Count; f++)
        {
            var function = functions[f];
            var layout = FunctionLayout.Of(function);
            int seed = Seed(encoding, f);
            var data = new ArbitraryGuestData(seed);
            var inputs = Inputs(data, encoding, guest);
            var results = new WasmValue[layout.LowerType.Results.Count];
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                Scramble(inputs, guest, iteration);
                var arguments = inputs.ImportArguments(layout);
                // Now and then the guest's allocator answers with an arbitrary pointer.
                guest.ForceRealloc(data.Random.Next(8) == 0 ? data.Word(guest.Memory.Length) : 0);
                outcomes.Run(function.Name, $"seed {seed}, iteration {iteration}", () => guest.CallImport(function, arguments, results));
            }
            AssertNoHandleIsLent(guest);
            AssertStillWorks(guest);
        }
        outcomes.AssertCovered(functions.Select(f => f.Name), [.. ValueErrors, CanonicalAbiError.InvalidHandle, CanonicalAbiError.UseAfterDrop]);
    });

    [Theory(Timeout = HangTimeout)]
    [MemberData(nameof(Encodings))]
    public Task GuestExportsReturningArbitraryResultsLiftOrTrap(StringEncoding encoding) => Task.Run(() =>
    {
        var guest = new FuzzGuest(GuestModule(), encoding);
        var outcomes = new LiftOutcomes();
        var functions = FuzzWit.Results.Functions;
        for (int f = 0; f < functions.Count; f++)
        {
            var function = functions[f];
            int seed = Seed(encoding, 500 + f);
            var data = new ArbitraryGuestData(seed);
            int postReturns = guest.PostReturns;
            var inputs = Inputs(data, encoding, guest);
            var export = guest.Export(function);
            var values = new ComponentValue[export.Layout.ResultCount];
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                Scramble(inputs, guest, iteration);
                guest.SetResult(inputs.ExportResult(export.Layout));
                outcomes.Run(function.Name, $"seed {seed}, iteration {iteration}", () => export.Invoke([], values));
            }
            // The guest frees its results only after they were lifted, and only then.
            Assert.Equal(outcomes.LiftedOf(function.Name), guest.PostReturns - postReturns);
        }
        outcomes.AssertCovered(functions.Select(f => f.Name), [.. ValueErrors, CanonicalAbiError.InvalidHandle, CanonicalAbiError.UseAfterDrop]);
    });

    /// <summary>No trap left a handle lent to a call that has ended: every live handle can be dropped.</summary>
    private static void AssertNoHandleIsLent(FuzzGuest guest)
    {
        for (int index = 1; index < 1024; index++)
        {
            try
            {
                guest.Handles.Drop(guest.Thing, index);
            }
            catch (CanonicalAbiTrapException e) when (e.Error is CanonicalAbiError.InvalidHandle or CanonicalAbiError.UseAfterDrop)
            {
            }
        }
        Assert.Equal(0, guest.Handles.Count);
    }

    /// <summary>After all the traps the instance still answers: an echo of a string and of a u32.</summary>
    private static void AssertStillWorks(FuzzGuest guest)
    {
        guest.ResetHeap();
        guest.ForceRealloc(0);
        int u32 = Array.IndexOf(FuzzWit.Types, "u32");
        var results = new WasmValue[1];
        guest.CallImport(FuzzWit.Echo(u32), [WasmValue.FromInt32(7)], results);
        Assert.Equal(7, results[0].AsInt32());

        int text = Array.IndexOf(FuzzWit.Types, "string");
        var cx = new LiftLowerContext(guest.Canonical);
        var flat = new WasmValue[3];
        int position = 0;
        cx.LowerFlat(ComponentValue.String("still here"), FuzzWit.Layout(text), flat, ref position);
        flat[2] = WasmValue.FromInt32(0);
        guest.CallImport(FuzzWit.Echo(text), flat, []);
        Assert.Equal(ComponentValue.String("still here"), cx.Load(FuzzWit.Layout(text), 0));
    }
}
