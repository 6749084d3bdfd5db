using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Simulation;

/// <summary>24C02 per the AT24C02 datasheet.</summary>
public class EepromTests
{
    private const ushort Address = 0x50;
    private readonly TestClock _clock = new();

    private (SimulatedI2cBus Bus, Eeprom24C02Device Eeprom) Make(double writeMs = 5, int pageSize = 8, string? file = null)
    {
        var eeprom = new Eeprom24C02Device("eeprom", Address, _clock.Clock, TimeSpan.FromMilliseconds(writeMs), pageSize, file);
        return (I2c.BusWith(_clock, eeprom), eeprom);
    }

    [Fact]
    public void A_new_part_reads_0xff_everywhere()
    {
        var (bus, _) = Make();
        Assert.All(I2c.WriteRead(bus, Address, [0x00], 256), b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void A_byte_write_is_read_back_with_a_random_read()
    {
        var (bus, _) = Make(writeMs: 0);
        Assert.Equal(I2cStatus.Ok, I2c.Write(bus, Address, 0x42, 0x99));
        Assert.Equal(0x99, I2c.ReadRegister(bus, Address, 0x42));
    }

    [Fact]
    public void During_the_write_cycle_the_address_is_not_acknowledged()
    {
        var (bus, eeprom) = Make(writeMs: 5);
        I2c.Write(bus, Address, 0x00, 0x12);
        Assert.True(eeprom.WriteCycleInProgress);
        Assert.Equal(I2cStatus.NoAcknowledgeAddress, bus.Transfer(Address, []));
        _clock.AdvanceMs(4.9);
        Assert.Equal(I2cStatus.NoAcknowledgeAddress, bus.Transfer(Address, []));
        _clock.AdvanceMs(0.1);
        Assert.Equal(I2cStatus.Ok, bus.Transfer(Address, []));
        Assert.Equal(0x12, I2c.ReadRegister(bus, Address, 0x00));
    }

    [Fact]
    public void A_zero_write_time_is_allowed()
    {
        var (bus, _) = Make(writeMs: 0);
        I2c.Write(bus, Address, 0x00, 0x12);
        Assert.Equal(I2cStatus.Ok, bus.Transfer(Address, []));
    }

    [Fact]
    public void A_page_write_rolls_over_within_its_eight_byte_page()
    {
        var (bus, eeprom) = Make(writeMs: 0);
        I2c.Write(bus, Address, 0x0E, 1, 2, 3, 4);
        byte[] memory = eeprom.ReadAll();
        Assert.Equal(new byte[] { 3, 4 }, memory[0x08..0x0A]);
        Assert.Equal(new byte[] { 1, 2 }, memory[0x0E..0x10]);
        Assert.Equal(0xFF, memory[0x10]); // the next page is untouched
    }

    [Fact]
    public void More_than_a_page_of_data_overwrites_the_start_of_the_page()
    {
        var (bus, eeprom) = Make(writeMs: 0);
        I2c.Write(bus, Address, [0x20, .. Enumerable.Range(1, 10).Select(i => (byte)i)]);
        Assert.Equal(new byte[] { 9, 10, 3, 4, 5, 6, 7, 8 }, eeprom.ReadAll()[0x20..0x28]);
    }

    [Fact]
    public void Sixteen_byte_pages_can_be_chosen()
    {
        var (bus, eeprom) = Make(writeMs: 0, pageSize: 16);
        I2c.Write(bus, Address, 0x0E, 1, 2, 3);
        Assert.Equal(3, eeprom.ReadAll()[0x00]);
    }

    [Fact]
    public void A_sequential_read_wraps_from_the_last_byte_to_the_first()
    {
        var (bus, _) = Make(writeMs: 0);
        I2c.Write(bus, Address, 0xFF, 0xAA);
        I2c.Write(bus, Address, 0x00, 0xBB);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, I2c.WriteRead(bus, Address, [0xFF], 2));
    }

    [Fact]
    public void A_current_address_read_continues_after_the_last_access()
    {
        var (bus, _) = Make(writeMs: 0);
        I2c.Write(bus, Address, 0x10, 0x01, 0x02, 0x03);
        I2c.WriteRead(bus, Address, [0x10], 1);
        Assert.Equal(0x02, I2c.Read(bus, Address, 1)[0]);
        Assert.Equal(0x03, I2c.Read(bus, Address, 1)[0]);
    }

    [Fact]
    public void Data_followed_by_a_repeated_start_is_not_written()
    {
        var (bus, eeprom) = Make(writeMs: 0);
        var buffer = new byte[1];
        Assert.Equal(I2cStatus.Ok, bus.Transfer(Address, [I2cMessage.Write(new byte[] { 0x30, 0x55 }), I2cMessage.Read(buffer)]));
        Assert.Equal(0xFF, eeprom.ReadAll()[0x30]);
        Assert.False(eeprom.WriteCycleInProgress);
    }

    [Fact]
    public void A_backing_file_keeps_the_contents_between_runs()
    {
        string file = Path.Combine(Path.GetTempPath(), $"sim-eeprom-{Guid.NewGuid():N}.bin");
        try
        {
            var (bus, _) = Make(writeMs: 0, file: file);
            I2c.Write(bus, Address, 0x08, 0xDE, 0xAD);
            Assert.Equal(256, new FileInfo(file).Length);
            var (again, _) = Make(writeMs: 0, file: file);
            Assert.Equal(new byte[] { 0xDE, 0xAD }, I2c.WriteRead(again, Address, [0x08], 2));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_backing_file_of_the_wrong_size_is_refused()
    {
        string file = Path.Combine(Path.GetTempPath(), $"sim-eeprom-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(file, new byte[100]);
            var e = Assert.Throws<InvalidDataException>(() => Make(file: file));
            Assert.Contains("100 bytes", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void It_answers_on_0x50_to_0x57_only()
    {
        _ = new Eeprom24C02Device("e", 0x57, _clock.Clock);
        Assert.Throws<ArgumentException>(() => new Eeprom24C02Device("e", 0x58, _clock.Clock));
    }
}
