namespace IronWasm.Tests.Compilation;

/// <summary>i8x16.shuffle is lowered by lane pattern (one operand, both, or a run of consecutive
/// lanes as one byte-align); every shape must give exactly lane i = (a:b)[index i], in freshly
/// compiled code and in code loaded from a compiled module.</summary>
public class ShuffleLoweringTests
{
    private static readonly byte[] A = Enumerable.Range(0, 16).Select(i => (byte)(0xA0 + i)).ToArray();
    private static readonly byte[] B = Enumerable.Range(0, 16).Select(i => (byte)(0xB0 + i)).ToArray();

    public static TheoryData<string> Patterns()
    {
        var data = new TheoryData<string>();
        void Add(IEnumerable<int> lanes) => data.Add(string.Join(' ', lanes));
        for (int shift = 0; shift <= 16; shift++) Add(Enumerable.Range(shift, 16));   // 0 and 16: a or b whole
        Add(Enumerable.Range(0, 16).Reverse());                                        // a only
        Add(Enumerable.Range(16, 16).Reverse());                                       // b only
        Add(Enumerable.Repeat(31, 16));                                                // one lane of b, splat
        Add(Enumerable.Range(1, 15).Append(0));                                        // a rotation, not consecutive
        Add(Enumerable.Range(17, 15).Append(16));                                      // b rotation
        Add(Enumerable.Range(2, 15).Append(31));                                       // consecutive but for the last lane
        Add([18, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);                        // as clang emits for image.c
        Add(Enumerable.Range(0, 16).Select(i => i % 2 == 0 ? i / 2 : 16 + i / 2));     // interleave
        var random = new Random(4);
        for (int i = 0; i < 8; i++) Add(Enumerable.Range(0, 16).Select(_ => random.Next(32)));
        return data;
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void ShuffleTakesEachLaneFromTheConcatenationOfItsOperands(string pattern)
    {
        var lanes = pattern.Split(' ').Select(int.Parse).ToArray();
        var expected = lanes.Select(l => l < 16 ? A[l] : B[l - 16]).ToArray();
        var wat = $$"""
            (module (memory (export "m") 1)
              (func (export "f")
                (v128.store (i32.const 32)
                  (i8x16.shuffle {{pattern}} (v128.load (i32.const 0)) (v128.load (i32.const 16))))))
            """;
        var engine = new Engine();
        var fresh = Module.FromText(engine, "test", wat);
        foreach (var module in new[] { fresh, Module.Deserialize(engine, fresh.Serialize()) })
        {
            var instance = new Linker(engine).Instantiate(new Store(engine), module);
            var memory = instance.GetMemory("m")!;
            A.CopyTo(memory.GetSpan()[..16]);
            B.CopyTo(memory.GetSpan()[16..32]);
            instance.GetAction("f")!();
            Assert.Equal(expected, memory.GetSpan()[32..48].ToArray());
        }
    }

    [Fact]
    public void ShuffleOfAValueWithItselfInALoopCarriesLanesAcrossIterations()
    {
        // The shape of clang's vectorised stencils: the previous vector and the new one, joined.
        var f = Wasm.Function("(result i32)", """
            (local $prev v128) (local $cur v128) (local $i i32)
            (local.set $prev (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
            (loop $l
              (local.set $cur (i8x16.add (local.get $prev) (v128.const i8x16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16 16)))
              (local.set $prev (i8x16.shuffle 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 (local.get $prev) (local.get $cur)))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 3))))
            (i32x4.extract_lane 0 (local.get $prev))
            """).GetFunction<int>("f")!;
        // Each round: lane 0 <- old lane 15, lanes 1..15 <- old lanes 0..14 plus 16.
        var lanes = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        for (int round = 0; round < 3; round++)
            lanes = Enumerable.Range(0, 16).Select(i => i == 0 ? lanes[15] : (byte)(lanes[i - 1] + 16)).ToArray();
        Assert.Equal(BitConverter.ToInt32(lanes, 0), f());
    }
}
