using IronWasm.Hardware.Deployment;

namespace IronWasm.Hardware.Tests.Deployment;

public sealed class GuestTrapTests
{
    // A sensor driver that attaches without touching the bus and whose read() either reaches an
    // `unreachable` two calls deep or spins forever.
    private static string FaultySensor(string readBody) => $$"""
        (module
          (memory (export "memory") 1)
          (data (i32.const 256) "faulty 1.0")
          (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
          (func (export "ironwasm:devices/i2c-attach@0.1.0#attach") (param i32 i32 i32) (result i32)
            (i32.store8 (i32.const 64) (i32.const 0))
            i32.const 64)
          (func (export "ironwasm:devices/sensor@0.1.0#driver-name") (result i32)
            (i32.store (i32.const 128) (i32.const 256))
            (i32.store (i32.const 132) (i32.const 10))
            i32.const 128)
          (func $convert (unreachable))
          (func $measure (call $convert))
          (func (export "ironwasm:devices/sensor@0.1.0#read") (result i32) {{readBody}} i32.const 0))
        """;

    [Fact]
    public void ATrapInADriverReachesTheHostAsAnErrorWithTheWasmBacktrace()
    {
        using var kit = new DeploymentKit();
        var faulty = Module.FromText(kit.Engine, "faulty", FaultySensor("(call $measure)"));
        var deployment = kit.Start("sensor_display", new DriverModule("sensor", faulty, new I2cAttachment("sim-i2c-1", 0x5f)), kit.Driver("display", "lcd_hd44780", 0x27));

        var error = Assert.Throws<DeploymentException>(() => deployment.Tick());

        Assert.StartsWith("guest `app` trapped in tick(): ", error.Message);
        Assert.EndsWith("[Unreachable]", error.Message);
        Assert.Equal(TrapCode.Unreachable, error.Trap!.Code);
        Assert.Contains(error.WasmBacktrace, frame => frame.Contains("convert"));
        Assert.Contains(error.WasmBacktrace, frame => frame.Contains("measure"));
    }

    [Fact]
    public void AfterATrapTheHostSwapsInAWorkingDriverAndTheAppGoesOn()
    {
        using var kit = new DeploymentKit();
        var faulty = Module.FromText(kit.Engine, "faulty", FaultySensor("(call $measure)"));
        var deployment = kit.Start("sensor_display", new DriverModule("sensor", faulty, new I2cAttachment("sim-i2c-1", 0x5f)), kit.Driver("display", "lcd_hd44780", 0x27));
        Assert.Throws<DeploymentException>(() => deployment.Tick());

        deployment.SwapDriver("sensor", kit.Guest("hts221"), new I2cAttachment("sim-i2c-1", 0x5f));

        Assert.Equal("23.4 C 51 %", deployment.Tick());
    }

    [Fact]
    public void ADriverThatNeverReturnsIsStoppedByItsFuel()
    {
        using var kit = new DeploymentKit(config: new Config().WithFuelConsumption(true));
        var spinning = Module.FromText(kit.Engine, "spinning", FaultySensor("(loop (br 0))"));
        var deployment = DeviceDeployment.Start(kit.Engine, kit.Hardware, kit.Guest("sensor_display"),
            [new DriverModule("sensor", spinning, new I2cAttachment("sim-i2c-1", 0x5f)), kit.Driver("display", "lcd_hd44780", 0x27)],
            new DeploymentOptions { FuelPerCall = 50_000_000 });

        var error = Assert.Throws<DeploymentException>(() => deployment.Tick());

        Assert.Equal(TrapCode.OutOfFuel, error.Trap!.Code);
    }

    [Fact]
    public void FuelPerCallNeedsAnEngineThatCountsFuel()
    {
        using var kit = new DeploymentKit();

        var error = Assert.Throws<ArgumentException>(() => DeviceDeployment.Start(kit.Engine, kit.Hardware, kit.Guest("sensor_display"), [], new DeploymentOptions { FuelPerCall = 1 }));

        Assert.Contains("WithFuelConsumption", error.Message);
    }
}
