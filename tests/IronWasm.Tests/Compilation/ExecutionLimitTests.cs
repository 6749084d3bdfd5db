namespace IronWasm.Tests.Compilation;

public class ExecutionLimitTests
{
    private const string InfiniteLoop = "(module (func (export \"f\") (loop $l (br $l))))";

    [Fact]
    public void FuelRunsOutInInfiniteLoop()
    {
        var store = new Store(new Engine(new Config().WithFuelConsumption(true)));
        store.Fuel = 10_000;
        var f = Wasm.Instantiate(InfiniteLoop, store).GetAction("f")!;
        Assert.Equal(TrapCode.OutOfFuel, Wasm.Traps(() => f()));
    }

    [Fact]
    public void FuelIsChargedPerInstruction()
    {
        var store = new Store(new Engine(new Config().WithFuelConsumption(true)));
        store.Fuel = 1_000;
        var f = Wasm.Instantiate("(module (func (export \"f\") (result i32) (i32.add (i32.const 1) (i32.const 2))))", store).GetFunction<int>("f")!;
        Assert.Equal(3, f());
        long used = 1_000 - store.Fuel;
        Assert.InRange(used, 3, 4);
    }

    [Fact]
    public void EpochDeadlineInterruptsLoop()
    {
        var engine = new Engine(new Config().WithEpochInterruption(true));
        var store = new Store(engine);
        store.SetEpochDeadline(1);
        var f = Wasm.Instantiate(InfiniteLoop, store).GetAction("f")!;
        engine.IncrementEpoch();
        Assert.Equal(TrapCode.Interrupt, Wasm.Traps(() => f()));
    }
}
