using IronWasm.Hardware.Deployment;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Deployment;

public sealed class AppRunTests
{
    [Fact]
    public void TheButtonLedAppTogglesTheLedOnEachPressOverGpio()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.Start("button_led");

        AppOutcome outcome;
        using (kit.KeepPressingTheButton()) outcome = deployment.RunButtonLed(3);

        Assert.True(outcome.Succeeded, outcome.Text);
        Assert.Equal("button: ready, led: off\npress 1: led on\npress 2: led off\npress 3: led on", outcome.Text.TrimEnd('\n'));
        // On, off, on; the app gives its pins back before it returns, which lets the LED go dark.
        Assert.Equal([true, false, true], kit.Simulation.Gpio.Led("led").Changes.Select(c => c.On).Take(3));
    }

    [Fact]
    public void TheSpiFlashAppWritesAndReadsBackOverSpi()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.Start("spi_flash");

        var outcome = deployment.RunSpiFlash(0x1000, "hello flash");

        Assert.True(outcome.Succeeded, outcome.Text);
        Assert.Contains("read back \"hello flash\": match", outcome.Text);
        Assert.Equal("hello flash"u8.ToArray(), kit.Simulation.GetDevice<SpiNorFlashDevice>("flash0").ReadMemory(0x1000, 11));
    }

    [Fact]
    public void AnAppRunningAsAGuestWithoutGrantsGetsTheInterfacesErrorNotTheHardware()
    {
        using var kit = new DeploymentKit();
        var deployment = DeviceDeployment.Start(kit.Engine, kit.Hardware, kit.Guest("spi_flash"), [], new DeploymentOptions { AppName = "visitor" });

        var outcome = deployment.RunSpiFlash(0x1000, "hello flash");

        Assert.False(outcome.Succeeded);
        Assert.Contains(kit.Policy.RecentAudit(), r => r.Guest == "visitor" && r.Resource == "flash0");
    }

    [Fact]
    public void TickIsOnlyForTheSensorDisplayApp()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.Start("spi_flash");

        var error = Assert.Throws<InvalidOperationException>(() => deployment.Tick());

        Assert.Equal("the app is a spi-flash-app; `tick` is for a sensor-display-app", error.Message);
    }
}
