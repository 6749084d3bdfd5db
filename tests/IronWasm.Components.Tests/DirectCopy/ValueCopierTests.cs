using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Tests.Robustness;

namespace IronWasm.Components.Tests.DirectCopy;

/// <summary>The direct copy between two guests (<see cref="ValueCopier"/>) agrees with lifting to a
/// <see cref="ComponentValue"/> and lowering it again, on arbitrary, well-formed and corrupted
/// values of every type without handles, between every pair of string encodings: the same trap,
/// or the same bytes written to the destination at the same addresses by the same cabi_realloc
/// calls, and the same flat values.</summary>
public class ValueCopierTests
{
    private const int Iterations = 48;

    private static readonly Lazy<Module> SharedModule = new(() => Module.FromText(new Engine(), "fuzz-guest", FuzzGuest.Wat));

    public static TheoryData<StringEncoding, StringEncoding> EncodingPairs()
    {
        var pairs = new TheoryData<StringEncoding, StringEncoding>();
        foreach (var from in Enum.GetValues<StringEncoding>())
        {
            foreach (var to in Enum.GetValues<StringEncoding>()) pairs.Add(from, to);
        }
        return pairs;
    }

    private static IEnumerable<int> TypesWithoutHandles() =>
        Enumerable.Range(0, FuzzWit.Types.Length).Where(t => !FuzzWit.HasHandle(FuzzWit.Types[t]));

    /// <summary>A source guest and two destinations that start out identical: one for each path.</summary>
    private sealed class Guests(StringEncoding from, StringEncoding to)
    {
        public FuzzGuest Source { get; } = new(SharedModule.Value, from);
        public FuzzGuest ViaValues { get; } = new(SharedModule.Value, to);
        public FuzzGuest Direct { get; } = new(SharedModule.Value, to);

        /// <summary>Both destinations get the source's memory contents and an empty heap.</summary>
        public void Align()
        {
            foreach (var destination in new[] { ViaValues, Direct })
            {
                Source.Memory.GetSpan().CopyTo(destination.Memory.GetSpan());
                destination.ResetHeap();
            }
        }

        public void AssertDestinationsEqual(string context)
        {
            Assert.True(ViaValues.Memory.GetSpan().SequenceEqual(Direct.Memory.GetSpan()), $"{context}: the destinations' memories differ");
            Assert.Equal(ViaValues.Instance.GetGlobal("bump")!.GetValue(), Direct.Instance.GetGlobal("bump")!.GetValue());
        }
    }

    private static CanonicalAbiError? Trap(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (CanonicalAbiTrapException e)
        {
            return e.Error;
        }
    }

    [Theory]
    [MemberData(nameof(EncodingPairs))]
    public void StoredValuesCopyAsLiftingAndLoweringDo(StringEncoding from, StringEncoding to)
    {
        var guests = new Guests(from, to);
        var copier = new ValueCopier(guests.Source.Canonical, guests.Direct.Canonical);
        int copied = 0;
        foreach (int t in TypesWithoutHandles())
        {
            var layout = FuzzWit.Layout(t);
            int seed = 0xC0B1 + 100 * (int)from + 10 * (int)to + 1000 * t;
            var data = new ArbitraryGuestData(seed);
            var inputs = new FuzzInputs(data, from, () => guests.Source.Memory, () => 1);
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                string context = $"{FuzzWit.Types[t]}, seed {seed}, iteration {iteration}";
                inputs.Scramble(iteration);
                uint ptr = inputs.Stored(layout);
                guests.Align();

                ComponentValue value = default;
                var expected = Trap(() => value = new LiftLowerContext(guests.Source.Canonical).Load(layout, ptr));
                var actual = Trap(() => copier.CheckSpilled(layout, ptr));
                Assert.True(expected == actual, $"{context}: lifting gives {expected?.ToString() ?? "a value"}, the copier's check {actual?.ToString() ?? "a value"}");
                if (expected is not null) continue;

                // Lowering traps too when the destination's heap runs out, at the same allocation.
                uint viaValuesPtr = guests.ViaValues.Canonical.Reallocate(0, 0, layout.Alignment, (uint)layout.Size);
                var viaValuesTrap = Trap(() => new LiftLowerContext(guests.ViaValues.Canonical).Store(value, layout, viaValuesPtr));
                uint directPtr = guests.Direct.Canonical.Reallocate(0, 0, layout.Alignment, (uint)layout.Size);
                var directTrap = Trap(() => copier.CopyStored(layout, ptr, directPtr));

                Assert.Equal(viaValuesPtr, directPtr);
                Assert.Equal(viaValuesTrap, directTrap);
                guests.AssertDestinationsEqual(context);
                if (directTrap is not null) continue;
                Assert.Equal(value, new LiftLowerContext(guests.Direct.Canonical).Load(layout, directPtr));
                copied++;
            }
        }
        Assert.True(copied > 0);
    }

    [Theory]
    [MemberData(nameof(EncodingPairs))]
    public void FlatValuesCopyAsLiftingAndLoweringDo(StringEncoding from, StringEncoding to)
    {
        var guests = new Guests(from, to);
        var copier = new ValueCopier(guests.Source.Canonical, guests.Direct.Canonical);
        int copied = 0;
        foreach (int t in TypesWithoutHandles())
        {
            var layout = FuzzWit.Layout(t);
            if (layout.FlatTypes.Count > FunctionLayout.MaxFlatParams) continue;
            int seed = 0xF1A7 + 100 * (int)from + 10 * (int)to + 1000 * t;
            var data = new ArbitraryGuestData(seed);
            var inputs = new FuzzInputs(data, from, () => guests.Source.Memory, () => 1);
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                string context = $"{FuzzWit.Types[t]}, seed {seed}, iteration {iteration}";
                inputs.Scramble(iteration);
                var flat = inputs.Flat(layout);
                guests.Align();

                ComponentValue value = default;
                var expected = Trap(() =>
                {
                    int position = 0;
                    value = new LiftLowerContext(guests.Source.Canonical).LiftFlat(layout, flat, ref position);
                });
                var actual = Trap(() =>
                {
                    int position = 0;
                    copier.CheckFlat(layout, flat, ref position);
                    Assert.Equal(flat.Length, position);
                });
                Assert.True(expected == actual, $"{context}: lifting gives {expected?.ToString() ?? "a value"}, the copier's check {actual?.ToString() ?? "a value"}");
                if (expected is not null) continue;

                var viaValues = new WasmValue[flat.Length];
                var direct = new WasmValue[flat.Length];
                int lowered = 0, written = 0;
                var viaValuesTrap = Trap(() => new LiftLowerContext(guests.ViaValues.Canonical).LowerFlat(value, layout, viaValues, ref lowered));
                var directTrap = Trap(() => copier.CopyFlat(layout, flat, direct, ref written));

                Assert.Equal(viaValuesTrap, directTrap);
                guests.AssertDestinationsEqual(context);
                if (directTrap is not null) continue;
                Assert.Equal(lowered, written);
                Assert.Equal(viaValues, direct);
                copied++;
            }
        }
        Assert.True(copied > 0);
    }
}
