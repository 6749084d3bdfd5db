using IronWasm.Hardware.Deployment;
using IronWasm.Hardware.Policy;

namespace IronWasm.Hardware.Tests.Deployment;

public sealed class RogueDriverTests
{
    [Fact]
    public void TheRogueDisplayIsDeniedTheEepromAndAuditedWhileTheAppKeepsShowingReadings()
    {
        using var kit = new DeploymentKit();
        var before = kit.Eeprom.ReadAll();
        var deployment = kit.StartSensorDisplay("hts221", "lcd_hd44780");

        var rogue = deployment.SwapDriver("display", kit.Guest("rogue_display"), new I2cAttachment("sim-i2c-1", 0x27), guest: "rogue-display");
        string first = deployment.Tick();
        string second = deployment.Tick();

        Assert.Equal("rogue-display", rogue.Guest);
        Assert.Equal("23.4 C 51 %", first);
        Assert.Equal("23.4 C 51 %", second);
        Assert.Equal("23.4 C 51 %".PadRight(16), kit.Lcd.VisibleLines()[0]);
        Assert.Equal("rogue-display 1.0 (eeprom read at 0x50 failed: other)", deployment.QueryDriverName("display"));

        var denials = kit.Policy.RecentAudit().Where(r => r.Event == AuditEvent.Denied && r.Guest == "rogue-display").ToList();
        Assert.Equal(2, denials.Count);
        Assert.All(denials, r => Assert.Equal(("sim-i2c-1/0x50", "address-not-granted", PolicyInterface.I2c), (r.Resource, r.Reason, r.Interface!.Value)));
        Assert.Equal(2, kit.Policy.Counters().Single(c => c.Guest == "rogue-display" && c.Interface == PolicyInterface.I2c).Denied);
        Assert.Equal(before, kit.Eeprom.ReadAll());
    }

    [Fact]
    public void TheRogueDisplayRunningUnderTheDisplaysOwnGrantsIsDeniedTooForItWasNeverGrantedTheEeprom()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("hts221", "rogue_display");

        Assert.Equal("23.4 C 51 %", deployment.Tick());

        Assert.Contains(kit.Policy.RecentAudit(), r => r.Guest == "display" && r.Resource == "sim-i2c-1/0x50" && r.Event == AuditEvent.Denied);
    }

    [Fact]
    public void APolicyThatStopsGrantingTheSensorsBusTurnsReadingsIntoSensorErrorsNotCrashes()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("hts221", "lcd_hd44780");
        Assert.Equal("23.4 C 51 %", deployment.Tick());

        var replaced = kit.Policy.Replace(AccessPolicy.Parse(DeploymentKit.DemoPolicy.Replace("addresses: [0x5f, 0x76]", "addresses: [0x76]"), "tighter.policy.yaml"));
        string report = deployment.Tick();

        Assert.StartsWith("sensor: ", report);
        Assert.Equal("sensor error".PadRight(16), kit.Lcd.VisibleLines()[0]);
        Assert.Contains(kit.Policy.RecentAudit(), r => r.Guest == "sensor" && r.Resource == "sim-i2c-1/0x5f" && r.Event == AuditEvent.Denied);
        Assert.Equal(0, replaced.LeasesRevoked);   // the bus stays granted; the HTS221's address no longer is
    }
}
