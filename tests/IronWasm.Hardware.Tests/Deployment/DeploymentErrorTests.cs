using IronWasm.Hardware.Deployment;

namespace IronWasm.Hardware.Tests.Deployment;

public sealed class DeploymentErrorTests
{
    [Fact]
    public void AnAppImportWithoutADriverIsALinkErrorNamingTheInterface()
    {
        using var kit = new DeploymentKit();

        var error = Assert.Throws<DeploymentException>(() => kit.Start("sensor_display", kit.Driver("sensor", "hts221")));

        Assert.Equal("the app (sensor-display-app) imports ironwasm:devices/display@0.1.0, but no driver exports it " +
            "(drivers: sensor = module `hts221` (sensor-driver)); add one: --driver NAME=FILE", error.Message);
        Assert.Equal("app", error.Guest);
    }

    [Fact]
    public void TwoDriversForOneImportAreRefused()
    {
        using var kit = new DeploymentKit();

        var error = Assert.Throws<DeploymentException>(() => kit.Start("sensor_display",
            kit.Driver("sensor", "hts221"), kit.Driver("outdoor", "bme280"), kit.Driver("display", "lcd_hd44780", 0x27)));

        Assert.Equal("the app imports ironwasm:devices/sensor@0.1.0 once, but drivers `sensor` and `outdoor` both export it: give only one", error.Message);
    }

    [Fact]
    public void ADriverTheAppDoesNotUseIsRefused()
    {
        using var kit = new DeploymentKit();

        var error = Assert.Throws<DeploymentException>(() => kit.Start("button_led", kit.Driver("sensor", "hts221")));

        Assert.Equal("driver `sensor` (sensor-driver) exports nothing the app (button-led-app) imports", error.Message);
    }

    [Fact]
    public void ADriverGivenAsTheAppIsRefused()
    {
        using var kit = new DeploymentKit();

        var error = Assert.Throws<DeploymentException>(() => kit.Start("hts221"));

        Assert.Equal("the app (module `hts221`) is a driver (sensor-driver), not an app: give drivers as --driver NAME=FILE", error.Message);
    }

    [Fact]
    public void AnAppGivenAsADriverIsRefused()
    {
        using var kit = new DeploymentKit();

        var error = Assert.Throws<DeploymentException>(() => kit.Start("sensor_display", kit.Driver("sensor", "hts221"), kit.Driver("display", "spi_flash")));

        Assert.Equal("driver `display` (module `spi_flash`) is an app (spi-flash-app), not a driver", error.Message);
    }

    [Fact]
    public void ADriverTheNamesOfWhichCollideIsRefused()
    {
        using var kit = new DeploymentKit();

        var error = Assert.Throws<DeploymentException>(() => kit.Start("sensor_display", kit.Driver("app", "hts221"), kit.Driver("display", "lcd_hd44780")));

        Assert.Contains("two guests are named `app`", error.Message);
    }

    [Fact]
    public void ADriverThePolicyGrantsNoBusIsNotAttached()
    {
        using var kit = new DeploymentKit();

        var error = Assert.Throws<DeploymentException>(() => kit.Start("sensor_display", kit.Driver("stranger", "hts221"), kit.Driver("display", "lcd_hd44780", 0x27)));

        Assert.Equal("driver `stranger` (module `hts221`) is granted no I2C bus: the policy (test.policy.yaml) must grant guest `stranger` " +
            "a bus and address (or the driver be given one as stranger=FILE@BUS:ADDRESS)", error.Message);
        Assert.Equal("stranger", error.Guest);
    }

    [Fact]
    public void AttachingOnABusTheGuestIsNotGrantedIsDeniedBeforeTheDriverGetsAHandle()
    {
        using var kit = new DeploymentKit();

        var error = Assert.Throws<DeploymentException>(() => kit.Start("sensor_display",
            new DriverModule("sensor", kit.Guest("hts221"), new I2cAttachment("i2c-7", 0x5f)), kit.Driver("display", "lcd_hd44780", 0x27)));

        Assert.StartsWith("driver `sensor` cannot attach at i2c-7/0x5f: ", error.Message);
    }

    [Fact]
    public void AFailedAttachReportsTheDriversOwnMessage()
    {
        using var kit = new DeploymentKit();

        var error = Assert.Throws<DeploymentException>(() => kit.Start("sensor_display", kit.Driver("sensor", "bme280", 0x5f), kit.Driver("display", "lcd_hd44780", 0x27)));

        Assert.StartsWith("driver `sensor` (module `bme280`) failed to attach at sim-i2c-1/0x5f: bme280 at 0x5F: ", error.Message);
    }
}
