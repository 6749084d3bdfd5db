using IronWasm.Hardware.Deployment;

namespace IronWasm.Hardware.Tests.Deployment;

public sealed class DriverArgumentTests
{
    [Theory]
    [InlineData("sensor=hts221.wasm", "sensor", "hts221.wasm", null, (ushort)0)]
    [InlineData("display=drivers/lcd.wasm@sim-i2c-1:0x27", "display", "drivers/lcd.wasm", "sim-i2c-1", (ushort)0x27)]
    [InlineData("display=lcd.wasm@i2c-1:60", "display", "lcd.wasm", "i2c-1", (ushort)60)]
    [InlineData("rogue-display=/tmp/a@b/rogue.wasm", "rogue-display", "/tmp/a@b/rogue.wasm", null, (ushort)0)]
    public void TheNameFileAndOptionalAttachmentAreReadFromNameEqualsFile(string text, string name, string file, string? bus, ushort address)
    {
        Assert.True(DriverArgument.TryParse(text, out var driver, out var error), error);

        Assert.Equal((name, file), (driver.Name, driver.File));
        Assert.Equal(bus is null ? null : new I2cAttachment(bus, address), driver.Attachment);
    }

    [Theory]
    [InlineData("hts221.wasm", "expected NAME=FILE[@BUS:ADDRESS]")]
    [InlineData("=hts221.wasm", "expected NAME=FILE[@BUS:ADDRESS]")]
    [InlineData("sensor=", "expected NAME=FILE[@BUS:ADDRESS]")]
    [InlineData("sen sor=x.wasm", "bad driver name 'sen sor'")]
    [InlineData("display=lcd.wasm@sim-i2c-1:0x80", "driver 'display': bad I2C address '0x80' in 'sim-i2c-1:0x80': expected a 7-bit address")]
    [InlineData("display=lcd.wasm@sim-i2c-1:twenty", "bad I2C address 'twenty'")]
    [InlineData("display=@sim-i2c-1:0x27", "driver 'display': no file before '@'")]
    public void MalformedDriversAreRefusedWithTheReason(string text, string expected)
    {
        Assert.False(DriverArgument.TryParse(text, out _, out var error));

        Assert.Contains(expected, error);
    }
}
