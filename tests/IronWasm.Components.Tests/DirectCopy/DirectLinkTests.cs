using System.Buffers.Binary;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Tests.Robustness;
using static IronWasm.Components.Tests.DirectCopy.LinkGuests;

namespace IronWasm.Components.Tests.DirectCopy;

/// <summary>Linked calls of functions without handles copy their values directly from one guest's
/// memory to the other's, and do exactly what the ComponentValue path does.</summary>
public class DirectLinkTests
{
    private const int Iterations = 48;
    private const int ReturnArea = 0xE000;

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

    private static WasmValue I32(int value) => WasmValue.FromInt32(value);

    /// <summary>Writes bytes into the app's memory.</summary>
    private static void Write(Memory memory, int address, params byte[] bytes) => bytes.CopyTo(memory.GetSpan(address, bytes.Length));

    [Fact]
    public void LinkedCallsAgreeWithTheComponentValuePathOnArbitraryData()
    {
        var direct = Host(directCopy: true);
        var viaValues = Host(directCopy: false);
        var outcomes = new LiftOutcomes();
        var functions = Xfer.Functions;
        for (int f = 0; f < functions.Count; f++)
        {
            var function = functions[f];
            var layout = FunctionLayout.Of(function);
            int seed = 0x11CC + f;
            var data = new ArbitraryGuestData(seed);
            var app = new FuzzInputs(data, StringEncoding.Utf8, direct.AppMemory, () => 1);
            var driver = new FuzzInputs(data, StringEncoding.Utf8, direct.DriverMemory, () => 1);
            for (int iteration = 0; iteration < Iterations; iteration++)
            {
                string context = $"{function.Name}, seed {seed}, iteration {iteration}";
                app.Scramble(iteration);
                driver.Scramble(iteration);
                var arguments = app.ImportArguments(layout);
                WasmValue? result = layout.LiftType.Results.Count == 1 ? driver.ExportResult(layout) : null;
                direct.AppMemory().GetSpan().CopyTo(viaValues.AppMemory().GetSpan());
                direct.DriverMemory().GetSpan().CopyTo(viaValues.DriverMemory().GetSpan());
                // Now and then one side's allocator answers with an arbitrary pointer.
                uint appRealloc = data.Random.Next(10) == 0 ? data.Word(direct.AppMemory().Length) : 0;
                uint driverRealloc = data.Random.Next(10) == 0 ? data.Word(direct.DriverMemory().Length) : 0;
                direct.Prepare(result, appRealloc, driverRealloc);
                viaValues.Prepare(result, appRealloc, driverRealloc);

                int directPosts = direct.DriverGlobal("posts"), viaValuesPosts = viaValues.DriverGlobal("posts");
                var directResults = new WasmValue[layout.LowerType.Results.Count];
                var viaValuesResults = new WasmValue[directResults.Length];
                var expected = Trap(() => viaValues.Call(function.CanonicalName, arguments, viaValuesResults));
                var actual = outcomes.Run(function.Name, context, () => direct.Call(function.CanonicalName, arguments, directResults));

                Assert.True(expected == actual, $"{context}: the ComponentValue path gives {expected?.ToString() ?? "a value"}, the direct copy {actual?.ToString() ?? "a value"}");
                if (actual is not null) continue;
                Assert.Equal(viaValuesResults, directResults);
                Assert.True(viaValues.AppMemory().GetSpan().SequenceEqual(direct.AppMemory().GetSpan()), $"{context}: the apps' memories differ");
                Assert.True(viaValues.DriverMemory().GetSpan().SequenceEqual(direct.DriverMemory().GetSpan()), $"{context}: the drivers' memories differ");
                Assert.Equal(viaValues.DriverGlobal("posts") - viaValuesPosts, direct.DriverGlobal("posts") - directPosts);
            }
        }
        outcomes.AssertCovered(functions.Select(f => f.Name),
            CanonicalAbiError.InvalidDiscriminant, CanonicalAbiError.InvalidChar, CanonicalAbiError.InvalidString,
            CanonicalAbiError.OutOfBounds, CanonicalAbiError.Misaligned, CanonicalAbiError.TooLong);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AListOfBytesGoesInAndAResultWithAListOfBytesComesBack(bool directCopy)
    {
        var host = Host(directCopy);
        Write(host.AppMemory(), 0x2000, 1, 2, 3);
        // The driver's answer: ok, pointing at three bytes.
        Write(host.DriverMemory(), 0x3000, 0, 0, 0, 0, 0x00, 0x31, 0, 0, 3, 0, 0, 0);
        Write(host.DriverMemory(), 0x3100, 7, 8, 9);
        host.Prepare(I32(0x3000));

        host.Call("transfer", [I32(0x2000), I32(3), I32(ReturnArea)], []);

        var driver = host.DriverMemory();
        uint received = BinaryPrimitives.ReadUInt32LittleEndian(driver.GetSpan(Received, 4));
        Assert.Equal(3, driver.ReadInt32(Received + 8));
        Assert.Equal([1, 2, 3], driver.GetSpan(received, 3).ToArray());
        var app = host.AppMemory();
        Assert.Equal(0, app.ReadByte(ReturnArea));
        Assert.Equal(3, app.ReadInt32(ReturnArea + 8));
        Assert.Equal([7, 8, 9], app.GetSpan(app.ReadInt32(ReturnArea + 4), 3).ToArray());
        Assert.Equal(1, host.DriverGlobal("posts"));
    }

    [Theory]
    [InlineData(0xFFFF_FFFF, CanonicalAbiError.TooLong)]
    [InlineData(0x1000_0000, CanonicalAbiError.TooLong)]
    [InlineData(0x0002_0000, CanonicalAbiError.OutOfBounds)]
    public void AnInvalidListTrapsBeforeTheDriverRuns(uint length, CanonicalAbiError error)
    {
        var host = Host(directCopy: true);
        host.Prepare(I32(0x3000));
        Assert.Equal(error, Trap(() => host.Call("transfer", [I32(0x100), I32((int)length), I32(ReturnArea)], [])));
        Assert.Equal(0, host.DriverGlobal("calls"));
    }

    [Fact]
    public void AStringThatIsNotUtf8TrapsBeforeTheDriverRuns()
    {
        var host = Host(directCopy: true);
        Write(host.AppMemory(), 0x2000, 0xC3, 0x28);
        host.Prepare(I32(0x3000));
        Assert.Equal(CanonicalAbiError.InvalidString, Trap(() => host.Call("split", [I32(1), I32(0x2000), I32(2), I32(ReturnArea)], [])));
        Assert.Equal(0, host.DriverGlobal("calls"));
    }

    [Fact]
    public void AnInvalidResultTrapsAndNothingReachesTheApp()
    {
        var host = Host(directCopy: true);
        Write(host.DriverMemory(), 0x3000, 5);
        Write(host.AppMemory(), ReturnArea, 0xAA, 0xAA, 0xAA, 0xAA);
        host.Prepare(I32(0x3000));
        Assert.Equal(CanonicalAbiError.InvalidDiscriminant, Trap(() => host.Call("transfer", [I32(0x100), I32(0), I32(ReturnArea)], [])));
        Assert.Equal(1, host.DriverGlobal("calls"));
        Assert.Equal(0, host.DriverGlobal("posts"));
        Assert.Equal(0xAAAAAAAAu, (uint)host.AppMemory().ReadInt32(ReturnArea));
    }

    [Fact]
    public void AFlatResultIsNormalisedAsLiftingAndLoweringWould()
    {
        var host = Host(directCopy: true);
        var results = new WasmValue[1];
        int boolean = Array.IndexOf(FuzzWit.Types, "bool");
        host.Prepare(I32(7));
        host.Call($"echo{boolean}", [I32(0)], results);
        Assert.Equal(1, results[0].AsInt32());
        int perms = Array.IndexOf(FuzzWit.Types, "perms");
        host.Prepare(I32(0xFF));
        host.Call($"echo{perms}", [I32(0)], results);
        Assert.Equal(0b111, results[0].AsInt32());
        Assert.Equal(2, host.DriverGlobal("posts"));
    }

    [Fact]
    public void ADirectCallAllocatesNothing()
    {
        var host = Host(directCopy: true);
        Write(host.AppMemory(), 0x2000, new byte[32]);
        Write(host.DriverMemory(), 0x3000, 0, 0, 0, 0, 0x00, 0x31, 0, 0, 32, 0, 0, 0);
        var transfer = host["app"].Instance!.GetAction<int, int, int>("relay transfer")!;
        host.Prepare(I32(0x3000));
        for (int i = 0; i < 100; i++) transfer(0x2000, 32, ReturnArea);   // compile and warm up

        // Each call takes 32 bytes of each heap, which holds 1100 of them.
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) transfer(0x2000, 32, ReturnArea);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
