using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Simulation;

public class SimulatedI2cBusTests
{
    private readonly TestClock _clock = new();

    private SimulatedI2cBus BusWithEeprom(out Eeprom24C02Device eeprom)
    {
        eeprom = new Eeprom24C02Device("eeprom", 0x50, _clock.Clock, TimeSpan.Zero);
        return I2c.BusWith(_clock, eeprom);
    }

    [Fact]
    public void An_address_no_device_answers_is_not_acknowledged()
    {
        using var bus = BusWithEeprom(out _);
        Assert.Equal(I2cStatus.NoAcknowledgeAddress, I2c.Write(bus, 0x51, 0x00));
        Assert.Equal(I2cStatus.NoAcknowledgeAddress, bus.Transfer(0x12, []));
    }

    [Fact]
    public void An_empty_transfer_probes_the_address_like_a_bus_scan()
    {
        using var bus = BusWithEeprom(out _);
        Assert.Equal(I2cStatus.Ok, bus.Transfer(0x50, []));
    }

    [Fact]
    public void Messages_of_one_transfer_reach_the_device_with_a_repeated_start()
    {
        using var bus = BusWithEeprom(out _);
        Assert.Equal(I2cStatus.Ok, I2c.Write(bus, 0x50, 0x10, 0xAB, 0xCD));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, I2c.WriteRead(bus, 0x50, [0x10], 2));
    }

    [Fact]
    public void An_address_beyond_seven_bits_is_refused()
    {
        using var bus = BusWithEeprom(out _);
        Assert.Throws<ArgumentOutOfRangeException>(() => bus.Transfer(0x80, []));
    }

    [Fact]
    public void Two_devices_cannot_share_an_address()
    {
        using var bus = BusWithEeprom(out _);
        var second = new Eeprom24C02Device("other", 0x50, _clock.Clock, TimeSpan.Zero);
        var e = Assert.Throws<InvalidOperationException>(() => bus.Attach(second));
        Assert.Contains("0x50", e.Message);
    }

    [Fact]
    public void A_device_on_several_addresses_takes_them_all()
    {
        using var bus = new SimulatedI2cBus("b", _clock.Clock);
        var tm = new Tm1650Device("tm", 0x24, _clock.Clock);
        bus.Attach(tm);
        foreach (ushort a in new ushort[] { 0x24, 0x34, 0x35, 0x36, 0x37 }) Assert.Same(tm, bus.DeviceAt(a));
        Assert.Null(bus.DeviceAt(0x38));
    }

    [Fact]
    public void Concurrent_transfers_run_one_at_a_time()
    {
        // Each thread sets the word address then reads it back in one transfer; interleaved
        // transfers would read another thread's address.
        using var bus = BusWithEeprom(out _);
        for (int i = 0; i < 256; i++) Assert.Equal(I2cStatus.Ok, I2c.Write(bus, 0x50, (byte)i, (byte)i));
        int mismatches = 0;
        Parallel.For(0, 4, t =>
        {
            var buffer = new byte[1];
            for (int i = 0; i < 2000; i++)
            {
                byte address = (byte)(i * 7 + t);
                bus.Transfer(0x50, [I2cMessage.Write(new[] { address }), I2cMessage.Read(buffer)]);
                if (buffer[0] != address) Interlocked.Increment(ref mismatches);
            }
        });
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void A_disposed_bus_refuses_transfers()
    {
        var bus = BusWithEeprom(out _);
        bus.Dispose();
        Assert.Throws<ObjectDisposedException>(() => bus.Transfer(0x50, []));
    }
}

public class I2cFaultTests
{
    private readonly TestClock _clock = new();
    private readonly SimulatedI2cBus _bus;
    private readonly Eeprom24C02Device _eeprom;

    public I2cFaultTests()
    {
        _bus = new SimulatedI2cBus("faulty", _clock.Clock);
        _eeprom = new Eeprom24C02Device("eeprom", 0x50, _clock.Clock, TimeSpan.Zero);
        _bus.Attach(_eeprom);
        _bus.Attach(new Eeprom24C02Device("eeprom2", 0x51, _clock.Clock, TimeSpan.Zero));
    }

    private I2cStatus Probe(ushort address = 0x50) => I2c.Write(_bus, address, 0x00);

    [Theory]
    [InlineData(I2cFaultKind.NoAcknowledgeAddress, I2cStatus.NoAcknowledgeAddress)]
    [InlineData(I2cFaultKind.NoAcknowledgeData, I2cStatus.NoAcknowledgeData)]
    [InlineData(I2cFaultKind.BusError, I2cStatus.BusError)]
    [InlineData(I2cFaultKind.ArbitrationLoss, I2cStatus.ArbitrationLoss)]
    public void Each_fault_kind_fails_the_transfer_with_its_status(I2cFaultKind kind, I2cStatus status)
    {
        _bus.InjectFault(new I2cFault(kind, FaultTrigger.Always));
        Assert.Equal(status, Probe());
    }

    [Fact]
    public void A_data_nack_leaves_the_device_unwritten()
    {
        _bus.InjectFault(new I2cFault(I2cFaultKind.NoAcknowledgeData, FaultTrigger.Once));
        Assert.Equal(I2cStatus.NoAcknowledgeData, I2c.Write(_bus, 0x50, 0x00, 0x42));
        Assert.Equal(0xFF, _eeprom.ReadAll()[0]);
    }

    [Fact]
    public void A_once_fault_fires_on_the_first_transfer_only()
    {
        var handle = _bus.InjectFault(new I2cFault(I2cFaultKind.BusError, FaultTrigger.Once));
        Assert.Equal(I2cStatus.BusError, Probe());
        Assert.Equal(I2cStatus.Ok, Probe());
        Assert.Equal(I2cStatus.Ok, Probe());
        Assert.Equal(1, handle.Fired);
    }

    [Fact]
    public void An_every_nth_fault_fires_on_transfer_n_2n_3n()
    {
        _bus.InjectFault(new I2cFault(I2cFaultKind.NoAcknowledgeAddress, FaultTrigger.EveryNth(3)));
        var results = Enumerable.Range(0, 9).Select(_ => Probe()).ToArray();
        var failed = results.Select((r, i) => (r, i)).Where(x => x.r != I2cStatus.Ok).Select(x => x.i + 1);
        Assert.Equal(new[] { 3, 6, 9 }, failed);
    }

    [Fact]
    public void A_probability_fault_follows_its_seed()
    {
        I2cStatus[] Run()
        {
            _bus.ClearFaults();
            _bus.InjectFault(new I2cFault(I2cFaultKind.BusError, FaultTrigger.WithProbability(0.3, seed: 11)));
            return Enumerable.Range(0, 200).Select(_ => Probe()).ToArray();
        }
        I2cStatus[] first = Run(), second = Run();
        Assert.Equal(first, second);
        int failures = first.Count(s => s == I2cStatus.BusError);
        Assert.InRange(failures, 35, 85); // 30 % of 200, loosely
    }

    [Fact]
    public void A_fault_for_one_address_leaves_the_others_alone()
    {
        _bus.InjectFault(new I2cFault(I2cFaultKind.NoAcknowledgeAddress, FaultTrigger.Always, Address: 0x51));
        Assert.Equal(I2cStatus.Ok, Probe(0x50));
        Assert.Equal(I2cStatus.NoAcknowledgeAddress, Probe(0x51));
    }

    [Fact]
    public void Every_nth_counts_only_the_transfers_to_its_address()
    {
        _bus.InjectFault(new I2cFault(I2cFaultKind.BusError, FaultTrigger.EveryNth(2), Address: 0x51));
        Assert.Equal(I2cStatus.Ok, Probe(0x51));
        Assert.Equal(I2cStatus.Ok, Probe(0x50));
        Assert.Equal(I2cStatus.Ok, Probe(0x50));
        Assert.Equal(I2cStatus.BusError, Probe(0x51));
    }

    [Fact]
    public void Faults_are_removed_by_their_handle_or_all_at_once()
    {
        var handle = _bus.InjectFault(new I2cFault(I2cFaultKind.BusError, FaultTrigger.Always));
        Assert.Equal(I2cStatus.BusError, Probe());
        handle.Dispose();
        Assert.Equal(I2cStatus.Ok, Probe());
        _bus.InjectFault(new I2cFault(I2cFaultKind.BusError, FaultTrigger.Always));
        _bus.InjectFault(new I2cFault(I2cFaultKind.ArbitrationLoss, FaultTrigger.Always));
        Assert.Equal(2, _bus.Faults.Count);
        _bus.ClearFaults();
        Assert.Equal(I2cStatus.Ok, Probe());
    }

    [Fact]
    public void A_latency_fault_waits_and_then_lets_the_transfer_succeed()
    {
        _bus.InjectFault(new I2cFault(I2cFaultKind.Latency, FaultTrigger.Always, Latency: TimeSpan.FromMilliseconds(3)));
        Assert.Equal(I2cStatus.Ok, Probe());
        Assert.Equal(I2cStatus.Ok, Probe());
        Assert.Equal(new[] { TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(3) }, _clock.Sleeps);
    }

    [Fact]
    public void Latency_adds_to_a_failing_fault()
    {
        _bus.InjectFault(new I2cFault(I2cFaultKind.Latency, FaultTrigger.Always, Latency: TimeSpan.FromMilliseconds(2)));
        _bus.InjectFault(new I2cFault(I2cFaultKind.BusError, FaultTrigger.Always));
        Assert.Equal(I2cStatus.BusError, Probe());
        Assert.Single(_clock.Sleeps);
    }

    [Fact]
    public async Task Faults_can_be_injected_and_cleared_while_transfers_run()
    {
        long transfers = 0, unexpected = 0;
        using var stop = new CancellationTokenSource();
        var worker = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (Probe() is not (I2cStatus.Ok or I2cStatus.BusError)) Interlocked.Increment(ref unexpected);
                Interlocked.Increment(ref transfers);
            }
        });
        // Keep changing the faults until the worker has run plenty of transfers through them.
        while (Interlocked.Read(ref transfers) < 2000)
        {
            var handle = _bus.InjectFault(new I2cFault(I2cFaultKind.BusError, FaultTrigger.Always));
            handle.Dispose();
        }
        stop.Cancel();
        await worker;
        Assert.Equal(0, unexpected);
        Assert.Equal(I2cStatus.Ok, Probe());
    }

    [Fact]
    public void Bad_faults_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultTrigger.EveryNth(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultTrigger.WithProbability(1.5, 0));
        Assert.Throws<ArgumentException>(() => _bus.InjectFault(new I2cFault(I2cFaultKind.Latency, FaultTrigger.Always)));
        Assert.Throws<ArgumentException>(() => _bus.InjectFault(new I2cFault(I2cFaultKind.BusError, FaultTrigger.Always, Address: 0x90)));
    }
}
