using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;

namespace IronWasm.Hardware.Tests.Policy;

public class PolicyFormatTests
{
    private static PolicyFormatException Fails(string yaml) =>
        Assert.Throws<PolicyFormatException>(() => AccessPolicy.Parse(yaml, "test.yaml"));

    [Fact]
    public void A_full_policy_parses_with_all_rule_kinds()
    {
        var policy = AccessPolicy.Parse("""
            version: 1
            guests:
              sensor:
                i2c:
                  - bus: sim-i2c-1
                    addresses: [0x5f, "0x76-0x77", 12]
                    access: read-write
              app:
                gpio:
                  - pin: led
                    directions: [out]
                  - pin: button
                    directions: [in]
                    pulls: [up, none]
                  - pin: light
                    analog: [in]
                spi:
                  - device: flash0
            """);

        Assert.Equal(["app", "sensor"], policy.Guests);
        Assert.Equal(PolicyVerdict.Granted, policy.CheckI2c("sensor", "sim-i2c-1", 0x5f, I2cAccess.ReadWrite));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckI2c("sensor", "sim-i2c-1", 0x77, I2cAccess.Read));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckI2c("sensor", "sim-i2c-1", 12, I2cAccess.Write));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckSpi("app", "flash0"));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckGpio("app", "button", GpioDirection.Input, GpioPull.PullUp));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckAnalog("app", "light", GpioDirection.Input));
    }

    [Fact]
    public void Unquoted_ranges_hex_in_any_case_and_decimal_numbers_are_accepted()
    {
        var policy = AccessPolicy.Parse("""
            guests:
              g:
                i2c:
                  - bus: b
                    addresses: [0X10-0x11, 0x7F, 32 - 33]
                    access: read
            """);
        foreach (ushort a in new ushort[] { 0x10, 0x11, 0x7f, 32, 33 })
            Assert.Equal(PolicyVerdict.Granted, policy.CheckI2c("g", "b", a, I2cAccess.Read));
        Assert.Equal(PolicyVerdict.AddressNotGranted, policy.CheckI2c("g", "b", 0x12, I2cAccess.Read));
    }

    [Fact]
    public void A_single_address_may_be_given_without_a_list()
    {
        var policy = AccessPolicy.Parse("guests: { g: { i2c: [ { bus: b, addresses: 0x27, access: write } ] } }");
        Assert.Equal(PolicyVerdict.Granted, policy.CheckI2c("g", "b", 0x27, I2cAccess.Write));
    }

    [Fact]
    public void An_empty_guests_section_denies_everything()
    {
        var policy = AccessPolicy.Parse("guests: {}");
        Assert.Empty(policy.Guests);
        Assert.Equal(PolicyVerdict.UnknownGuest, policy.CheckSpi("app", "flash0"));
    }

    [Fact]
    public void A_guest_with_no_grants_is_named_but_granted_nothing()
    {
        var policy = AccessPolicy.Parse("guests:\n  idle:\n  other: {}\n");
        Assert.Equal(["idle", "other"], policy.Guests);
        Assert.Equal(PolicyVerdict.ResourceNotGranted, policy.CheckSpi("idle", "flash0"));
    }

    [Fact]
    public void Anchors_and_aliases_are_resolved()
    {
        var policy = AccessPolicy.Parse("""
            guests:
              a:
                spi: &flash
                  - device: flash0
              b:
                spi: *flash
            """);
        Assert.Equal(PolicyVerdict.Granted, policy.CheckSpi("b", "flash0"));
    }

    [Fact]
    public void The_source_name_is_kept()
    {
        Assert.Equal("deploy.yaml", AccessPolicy.Parse("guests: {}", "deploy.yaml").Source);
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pol-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, "guests:\n  g:\n    spi:\n      - device: flash0\n        speed: 1\n");
            var e = Assert.Throws<PolicyFormatException>(() => AccessPolicy.Load(path));
            Assert.StartsWith($"{path}:5:9: unknown key 'speed'", e.Message);
            File.WriteAllText(path, "guests:\n  g:\n    spi:\n      - device: flash0\n");
            Assert.Equal(path, AccessPolicy.Load(path).Source);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // ---- errors ---------------------------------------------------------------------------------

    [Fact]
    public void An_unknown_top_level_key_is_an_error_with_its_position()
    {
        var e = Fails("guests: {}\nguest: {}\n");
        Assert.Equal((2, 1), (e.Line, e.Column));
        Assert.Equal("test.yaml", e.SourceName);
        Assert.Contains("unknown key 'guest' in the policy (expected version, guests, default)", e.Message);
        Assert.StartsWith("test.yaml:2:1: ", e.Message);
    }

    [Fact]
    public void An_unknown_key_in_a_guest_is_an_error()
    {
        var e = Fails("guests:\n  app:\n    uart: []\n");
        Assert.Equal((3, 5), (e.Line, e.Column));
        Assert.Contains("unknown key 'uart' in guest 'app' (expected i2c, spi, gpio, usb)", e.Message);
    }

    [Theory]
    [InlineData("guests: { g: { i2c: [ { bus: b, addresses: [1], access: read, speed: 1 } ] } }", "unknown key 'speed' in an i2c grant")]
    [InlineData("guests: { g: { spi: [ { device: d, mode: 3 } ] } }", "unknown key 'mode' in an spi grant")]
    [InlineData("guests: { g: { gpio: [ { pin: p, directions: [in], edge: both } ] } }", "unknown key 'edge' in a gpio grant")]
    public void Unknown_keys_in_grants_are_errors(string yaml, string message)
    {
        Assert.Contains(message, Fails(yaml).Message);
    }

    [Fact]
    public void A_duplicate_guest_is_an_error_naming_the_first_definition()
    {
        var e = Fails("guests:\n  app:\n    spi: []\n  app:\n    gpio: []\n");
        Assert.Equal((4, 3), (e.Line, e.Column));
        Assert.Contains("duplicate guest 'app' (first defined at line 2)", e.Message);
    }

    [Fact]
    public void A_duplicate_key_is_an_error()
    {
        var e = Fails("guests:\n  app:\n    spi: []\n    spi: []\n");
        Assert.Equal((4, 5), (e.Line, e.Column));
        Assert.Contains("duplicate key 'spi' in guest 'app' (first at line 3)", e.Message);
    }

    [Fact]
    public void A_bad_access_word_is_an_error_at_the_word()
    {
        var e = Fails("guests:\n  g:\n    i2c:\n      - bus: b\n        addresses: [1]\n        access: rw\n");
        Assert.Equal((6, 17), (e.Line, e.Column));
        Assert.Contains("bad access 'rw': expected read, write or read-write", e.Message);
    }

    [Fact]
    public void A_missing_access_is_an_error()
    {
        Assert.Contains("has no 'access'", Fails("guests: { g: { i2c: [ { bus: b, addresses: [1] } ] } }").Message);
    }

    [Fact]
    public void Missing_bus_or_addresses_are_errors()
    {
        Assert.Contains("an i2c grant has no 'bus'", Fails("guests: { g: { i2c: [ { addresses: [1], access: read } ] } }").Message);
        Assert.Contains("has no 'addresses'", Fails("guests: { g: { i2c: [ { bus: b, access: read } ] } }").Message);
        Assert.Contains("lists no addresses", Fails("guests: { g: { i2c: [ { bus: b, addresses: [], access: read } ] } }").Message);
    }

    [Theory]
    [InlineData("0x80", "address 0x80 is out of range: 7-bit I2C addresses go from 0x00 to 0x7f")]
    [InlineData("128", "address 128 is out of range")]
    [InlineData("0x10-0x80", "address 0x80 is out of range")]
    [InlineData("\"0x77-0x76\"", "backwards address range '0x77-0x76'")]
    [InlineData("abc", "bad address 'abc': expected a number (95 or 0x5f) or a range (0x76-0x77)")]
    [InlineData("-5", "bad address '-5'")]
    [InlineData("0x", "bad address '0x'")]
    [InlineData("1.5", "bad address '1.5'")]
    [InlineData("0x10-", "bad address '0x10-'")]
    [InlineData("\"\"", "bad address ''")]
    [InlineData("{a: 1}", "expected an address (0x5f) or an address range (0x76-0x77), found a mapping")]
    public void Bad_addresses_and_ranges_are_errors(string address, string message)
    {
        var e = Fails($"guests:\n  g:\n    i2c:\n      - bus: b\n        access: read\n        addresses: [{address}]\n");
        Assert.Contains(message, e.Message);
        Assert.Equal(6, e.Line);
        Assert.Equal(21, e.Column);
    }

    [Fact]
    public void Bad_direction_and_pull_words_are_errors()
    {
        Assert.Contains("bad directions value 'output': expected in, out",
            Fails("guests: { g: { gpio: [ { pin: p, directions: [output] } ] } }").Message);
        Assert.Contains("bad pulls value 'pull-up': expected none, up, down",
            Fails("guests: { g: { gpio: [ { pin: p, directions: [in], pulls: [pull-up] } ] } }").Message);
        Assert.Contains("bad analog value 'dac': expected in, out",
            Fails("guests: { g: { gpio: [ { pin: p, analog: [dac] } ] } }").Message);
        Assert.Contains("'directions' is empty",
            Fails("guests: { g: { gpio: [ { pin: p, directions: [] } ] } }").Message);
    }

    [Fact]
    public void A_gpio_grant_that_grants_nothing_is_an_error()
    {
        Assert.Contains("the gpio grant for pin 'p' grants nothing",
            Fails("guests: { g: { gpio: [ { pin: p } ] } }").Message);
        Assert.Contains("has 'pulls' but no digital 'directions'",
            Fails("guests: { g: { gpio: [ { pin: p, analog: [in], pulls: [up] } ] } }").Message);
    }

    [Fact]
    public void Missing_or_empty_names_are_errors()
    {
        Assert.Contains("an spi grant has no 'device'", Fails("guests: { g: { spi: [ { } ] } }").Message);
        Assert.Contains("the device name of an spi grant is empty", Fails("guests: { g: { spi: [ { device: \"\" } ] } }").Message);
        Assert.Contains("a gpio grant has no 'pin'", Fails("guests: { g: { gpio: [ { directions: [in] } ] } }").Message);
        Assert.Contains("bad guest name 'two words'", Fails("guests: { \"two words\": {} }").Message);
    }

    [Fact]
    public void Wrong_shapes_are_errors_that_say_what_was_expected()
    {
        Assert.Contains("expected the policy to be a mapping", Fails("- guests\n").Message);
        Assert.Contains("expected 'guests' to be a mapping", Fails("guests: [a, b]\n").Message);
        Assert.Contains("expected the i2c grants of guest 'g' to be a list", Fails("guests: { g: { i2c: { bus: b } } }").Message);
        Assert.Contains("expected an spi grant (device) to be a mapping", Fails("guests: { g: { spi: [ flash0 ] } }").Message);
        Assert.Contains("a key must be a plain word", Fails("guests: { [a]: {} }").Message);
    }

    [Fact]
    public void Missing_guests_section_and_empty_files_are_errors()
    {
        Assert.Contains("has no 'guests:' section", Fails("version: 1\n").Message);
        Assert.Contains("the policy is empty", Fails("").Message);
        Assert.Contains("the policy is empty", Fails("# only a comment\n").Message);
    }

    [Fact]
    public void Unsupported_versions_are_errors()
    {
        Assert.Contains("unsupported policy version '2'", Fails("version: 2\nguests: {}\n").Message);
        Assert.Contains("unsupported policy version 'one'", Fails("version: one\nguests: {}\n").Message);
    }

    [Fact]
    public void Invalid_yaml_is_an_error_with_its_position()
    {
        var e = Fails("guests:\n  app: [\n");
        Assert.Contains("not valid YAML", e.Message);
        Assert.True(e.Line >= 2);
    }

    [Fact]
    public void A_second_yaml_document_is_an_error()
    {
        Assert.Contains("one YAML document", Fails("guests: {}\n---\nguests: {}\n").Message);
    }

    [Fact]
    public void An_unknown_alias_is_an_error()
    {
        var e = Fails("guests: { g: { spi: *nothing } }");
        Assert.Equal((1, 21), (e.Line, e.Column));
        Assert.Contains("unknown alias '*nothing'", e.Message);
    }
}
