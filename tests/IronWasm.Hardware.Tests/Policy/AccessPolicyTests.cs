using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;

namespace IronWasm.Hardware.Tests.Policy;

public class AccessPolicyTests
{
    private static readonly AccessPolicy Policy = AccessPolicy.Parse("""
        guests:
          sensor:
            i2c:
              - bus: sim-i2c-1
                addresses: [0x5f, 0x76-0x77]
                access: read-write
              - bus: sim-i2c-1
                addresses: [0x50]
                access: read
              - bus: sim-i2c-1
                addresses: [0x51]
                access: write
          app:
            gpio:
              - pin: led
                directions: [out]
              - pin: button
                directions: [in]
                pulls: [up, none]
              - pin: dial
                analog: [in]
            spi:
              - device: flash0
        """);

    [Theory]
    [InlineData(0x5f)]
    [InlineData(0x76)]
    [InlineData(0x77)]
    public void Granted_i2c_addresses_and_range_ends_are_granted(ushort address)
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckI2c("sensor", "sim-i2c-1", address, I2cAccess.ReadWrite));
    }

    [Theory]
    [InlineData(0x5e)]
    [InlineData(0x60)]
    [InlineData(0x75)]
    [InlineData(0x78)]
    [InlineData(0x00)]
    [InlineData(0x7f)]
    public void Addresses_just_outside_the_grants_are_denied(ushort address)
    {
        Assert.Equal(PolicyVerdict.AddressNotGranted, Policy.CheckI2c("sensor", "sim-i2c-1", address, I2cAccess.Read));
    }

    [Theory]
    [InlineData(0x80)]
    [InlineData(0x3ff)]
    [InlineData(0xffff)]
    public void Addresses_beyond_seven_bits_are_denied(ushort address)
    {
        Assert.Equal(PolicyVerdict.AddressNotGranted, Policy.CheckI2c("sensor", "sim-i2c-1", address, I2cAccess.Read));
    }

    [Fact]
    public void A_read_only_grant_allows_reads_and_denies_writes()
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckI2c("sensor", "sim-i2c-1", 0x50, I2cAccess.Read));
        Assert.Equal(PolicyVerdict.AccessNotGranted, Policy.CheckI2c("sensor", "sim-i2c-1", 0x50, I2cAccess.Write));
        Assert.Equal(PolicyVerdict.AccessNotGranted, Policy.CheckI2c("sensor", "sim-i2c-1", 0x50, I2cAccess.ReadWrite));
    }

    [Fact]
    public void A_write_only_grant_allows_writes_and_denies_reads()
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckI2c("sensor", "sim-i2c-1", 0x51, I2cAccess.Write));
        Assert.Equal(PolicyVerdict.AccessNotGranted, Policy.CheckI2c("sensor", "sim-i2c-1", 0x51, I2cAccess.Read));
    }

    [Fact]
    public void Asking_with_no_access_only_needs_the_address_granted()
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckI2c("sensor", "sim-i2c-1", 0x51, I2cAccess.None));
        Assert.Equal(PolicyVerdict.AddressNotGranted, Policy.CheckI2c("sensor", "sim-i2c-1", 0x52, I2cAccess.None));
    }

    [Fact]
    public void Another_bus_is_denied_as_not_granted()
    {
        Assert.Equal(PolicyVerdict.ResourceNotGranted, Policy.CheckI2c("sensor", "i2c-1", 0x5f, I2cAccess.Read));
    }

    [Fact]
    public void Names_are_case_sensitive()
    {
        Assert.Equal(PolicyVerdict.ResourceNotGranted, Policy.CheckI2c("sensor", "SIM-I2C-1", 0x5f, I2cAccess.Read));
        Assert.Equal(PolicyVerdict.UnknownGuest, Policy.CheckSpi("App", "flash0"));
    }

    [Fact]
    public void A_guest_the_policy_does_not_name_is_denied_everything()
    {
        Assert.Equal(PolicyVerdict.UnknownGuest, Policy.CheckI2c("rogue", "sim-i2c-1", 0x5f, I2cAccess.Read));
        Assert.Equal(PolicyVerdict.UnknownGuest, Policy.CheckSpi("rogue", "flash0"));
        Assert.Equal(PolicyVerdict.UnknownGuest, Policy.CheckGpio("rogue", "led", GpioDirection.Output, GpioPull.None));
        Assert.Equal(PolicyVerdict.UnknownGuest, Policy.CheckAnalog("rogue", "dial", GpioDirection.Input));
    }

    [Fact]
    public void One_guests_grants_do_not_extend_to_another()
    {
        Assert.Equal(PolicyVerdict.ResourceNotGranted, Policy.CheckI2c("app", "sim-i2c-1", 0x5f, I2cAccess.Read));
        Assert.Equal(PolicyVerdict.ResourceNotGranted, Policy.CheckSpi("sensor", "flash0"));
    }

    [Fact]
    public void Spi_devices_are_granted_by_name()
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckSpi("app", "flash0"));
        Assert.Equal(PolicyVerdict.ResourceNotGranted, Policy.CheckSpi("app", "flash1"));
    }

    [Fact]
    public void Gpio_pins_are_granted_by_label_direction_and_pull()
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckGpio("app", "led", GpioDirection.Output, GpioPull.None));
        Assert.Equal(PolicyVerdict.DirectionNotGranted, Policy.CheckGpio("app", "led", GpioDirection.Input, GpioPull.None));
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckGpio("app", "button", GpioDirection.Input, GpioPull.PullUp));
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckGpio("app", "button", GpioDirection.Input, GpioPull.None));
        Assert.Equal(PolicyVerdict.PullNotGranted, Policy.CheckGpio("app", "button", GpioDirection.Input, GpioPull.PullDown));
        Assert.Equal(PolicyVerdict.DirectionNotGranted, Policy.CheckGpio("app", "button", GpioDirection.Output, GpioPull.None));
        Assert.Equal(PolicyVerdict.ResourceNotGranted, Policy.CheckGpio("app", "relay", GpioDirection.Output, GpioPull.None));
    }

    [Fact]
    public void Omitted_pulls_grant_only_no_pull()
    {
        Assert.Equal(PolicyVerdict.PullNotGranted, Policy.CheckGpio("app", "led", GpioDirection.Output, GpioPull.PullUp));
    }

    [Fact]
    public void Analog_use_is_granted_separately_from_digital_use()
    {
        Assert.Equal(PolicyVerdict.Granted, Policy.CheckAnalog("app", "dial", GpioDirection.Input));
        Assert.Equal(PolicyVerdict.DirectionNotGranted, Policy.CheckAnalog("app", "dial", GpioDirection.Output));
        Assert.Equal(PolicyVerdict.DirectionNotGranted, Policy.CheckGpio("app", "dial", GpioDirection.Input, GpioPull.None));
        Assert.Equal(PolicyVerdict.DirectionNotGranted, Policy.CheckAnalog("app", "led", GpioDirection.Output));
    }

    [Fact]
    public void Grants_for_the_same_pin_add_up()
    {
        var policy = AccessPolicy.Parse("""
            guests:
              g:
                gpio:
                  - pin: p
                    directions: [in]
                    pulls: [up]
                  - pin: p
                    directions: [out]
            """);
        Assert.Equal(PolicyVerdict.Granted, policy.CheckGpio("g", "p", GpioDirection.Input, GpioPull.PullUp));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckGpio("g", "p", GpioDirection.Output, GpioPull.None));
    }

    [Fact]
    public void Default_grants_apply_to_named_and_unnamed_guests()
    {
        var policy = AccessPolicy.Parse("""
            default:
              gpio:
                - pin: status
                  directions: [out]
            guests:
              app:
                spi:
                  - device: flash0
            """);
        Assert.True(policy.HasDefaultGrants);
        Assert.Equal(PolicyVerdict.Granted, policy.CheckGpio("app", "status", GpioDirection.Output, GpioPull.None));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckSpi("app", "flash0"));
        Assert.Equal(PolicyVerdict.Granted, policy.CheckGpio("stranger", "status", GpioDirection.Output, GpioPull.None));
        Assert.Equal(PolicyVerdict.ResourceNotGranted, policy.CheckSpi("stranger", "flash0"));
    }

    [Fact]
    public void Deny_all_denies_everything()
    {
        Assert.Equal(PolicyVerdict.UnknownGuest, AccessPolicy.DenyAll.CheckSpi("app", "flash0"));
        Assert.False(AccessPolicy.DenyAll.HasDefaultGrants);
    }

    [Fact]
    public void Checks_allocate_nothing()
    {
        // Warm up first, so that lazy runtime work does not count.
        RunChecks();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) RunChecks();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void RunChecks()
        {
            Policy.CheckI2c("sensor", "sim-i2c-1", 0x76, I2cAccess.ReadWrite);
            Policy.CheckI2c("sensor", "sim-i2c-1", 0x10, I2cAccess.Read);
            Policy.CheckI2c("nobody", "sim-i2c-1", 0x76, I2cAccess.Read);
            Policy.CheckSpi("app", "flash0");
            Policy.CheckGpio("app", "button", GpioDirection.Input, GpioPull.PullUp);
            Policy.CheckAnalog("app", "dial", GpioDirection.Input);
        }
    }

    [Theory]
    [InlineData(PolicyVerdict.Granted, "granted", false)]
    [InlineData(PolicyVerdict.UnknownGuest, "unknown-guest", false)]
    [InlineData(PolicyVerdict.ResourceNotGranted, "resource-not-granted", false)]
    [InlineData(PolicyVerdict.AddressNotGranted, "address-not-granted", false)]
    [InlineData(PolicyVerdict.AccessNotGranted, "access-not-granted", true)]
    [InlineData(PolicyVerdict.DirectionNotGranted, "direction-not-granted", true)]
    [InlineData(PolicyVerdict.PullNotGranted, "pull-not-granted", true)]
    [InlineData(PolicyVerdict.Revoked, "revoked", false)]
    public void Verdicts_have_reason_texts_and_mode_classes(PolicyVerdict verdict, string text, bool isModeDenial)
    {
        Assert.Equal(text, verdict.ToReasonText());
        Assert.Equal(isModeDenial, verdict.IsModeDenial());
        Assert.Equal(verdict == PolicyVerdict.Granted, verdict.IsGranted());
    }
}
