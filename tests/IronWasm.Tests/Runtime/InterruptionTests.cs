namespace IronWasm.Tests.Runtime;

public class InterruptionTests
{
    private const string Loop = "(module (func (export \"spin\") (loop $l (br $l))) (func (export \"one\") (result i32) i32.const 1))";

    [Fact]
    public void FuelRequiresConfiguration()
    {
        using var store = new Store(new Engine());
        Assert.Throws<InvalidOperationException>(() => store.Fuel = 10);
        Assert.Throws<InvalidOperationException>(() => store.SetEpochDeadline(1));
    }

    [Fact]
    public void RunningOutOfFuelTraps()
    {
        var engine = new Engine(new Config().WithFuelConsumption(true));
        using var store = new Store(engine);
        store.Fuel = 10_000;
        var instance = TestModules.Instantiate(Loop, store: store);
        Assert.Equal(TrapCode.OutOfFuel, Assert.Throws<TrapException>(() => instance.GetAction("spin")!()).Code);
        Assert.Equal(0, store.Fuel);
    }

    [Fact]
    public void FuelIsConsumedByExecution()
    {
        var engine = new Engine(new Config().WithFuelConsumption(true));
        using var store = new Store(engine);
        store.AddFuel(1000);
        var instance = TestModules.Instantiate(Loop, store: store);
        Assert.Equal(1, instance.GetFunction<int>("one")!());
        Assert.InRange(store.GetFuel(), 0, 999);
    }

    [Fact]
    public void EpochDeadlineInterruptsLoop()
    {
        var engine = new Engine(new Config().WithEpochInterruption(true));
        using var store = new Store(engine);
        store.SetEpochDeadline(1);
        var instance = TestModules.Instantiate(Loop, store: store);
        var spin = instance.GetAction("spin")!;
        using var timer = new Timer(_ => engine.IncrementEpoch(), null, 50, 50);
        Assert.Equal(TrapCode.Interrupt, Assert.Throws<TrapException>(spin).Code);
    }

    [Fact]
    public void WallClockDeadlineInterruptsLoop()
    {
        var engine = new Engine(new Config().WithEpochInterruption(true));
        using var store = new Store(engine);
        store.SetDeadline(TimeSpan.FromMilliseconds(50));
        var instance = TestModules.Instantiate(Loop, store: store);
        Assert.Equal(TrapCode.Interrupt, Assert.Throws<TrapException>(instance.GetAction("spin")!).Code);
    }
}
