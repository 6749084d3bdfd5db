using System.Buffers.Binary;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Hardware.Tests.Hosts;

/// <summary>wasi:i2c through the generated bindings: the real C drivers, and a raw guest for every
/// function, against the simulated bus, the policy and injected faults.</summary>
public class I2cHostTests
{
    private const string Bus = "sim-i2c-1";

    private const string SensorPolicy = """
        guests:
          sensor:
            i2c:
              - bus: sim-i2c-1
                addresses: [0x5f, 0x76]
                access: read-write
          probe:
            i2c:
              - bus: sim-i2c-1
                addresses: [0x5f, 0x50, 0x51]
                access: read-write
          writer:
            i2c:
              - bus: sim-i2c-1
                addresses: [0x50]
                access: write
          rogue-display:
            i2c:
              - bus: sim-i2c-1
                addresses: [0x27]
                access: read-write
        """;

    // ---- the C drivers ------------------------------------------------------------------------

    [Fact]
    public void TheHts221DriverReadsTheSimulatedEnvironmentThroughTheHost()
    {
        using var rig = new Rig(SensorPolicy);
        rig.Sim.Environment.Set(temperature: 24.75, humidity: 61.5, pressure: 1000);
        var (sensor, attached) = rig.Driver("sensor", "drivers/hts221.wasm", "sensor-driver", Bus, 0x5f);
        Assert.Equal(0u, attached!.Value.CaseIndex);

        var reading = sensor.GetFunction("sensor", "ironwasm:devices/sensor@0.1.0#read").Invoke()!.Value;
        Assert.Equal(0u, reading.CaseIndex);
        var fields = reading.Payload!.Value.Elements;
        Assert.Equal(24.75, fields[0].AsF32(), 0.05);
        Assert.Equal(61.5, fields[1].Payload!.Value.AsF32(), 0.05);
        Assert.Equal(0u, fields[2].CaseIndex);   // no pressure
        Assert.Empty(rig.Audit(AuditEvent.Denied));
    }

    [Fact]
    public void TheBme280DriverReadsPressureThroughTheHost()
    {
        using var rig = new Rig(SensorPolicy);
        rig.Sim.Environment.Set(temperature: 19, humidity: 40, pressure: 987.5);
        var (sensor, attached) = rig.Driver("sensor", "drivers/bme280.wasm", "sensor-driver", Bus, 0x76);
        Assert.Equal(0u, attached!.Value.CaseIndex);

        var fields = sensor.GetFunction("sensor", "ironwasm:devices/sensor@0.1.0#read").Invoke()!.Value.Payload!.Value.Elements;
        Assert.Equal(19, fields[0].AsF32(), 0.05);
        Assert.Equal(987.5, fields[2].Payload!.Value.AsF32(), 0.1);
    }

    [Fact]
    public void ADriverAttachedToAnAddressWithoutADeviceFailsWithTheNoAcknowledge()
    {
        // 0x76 is granted, but this bus has nothing there.
        using var rig = new Rig(SensorPolicy, "i2c:sim-i2c-1=hts221@0x5f");
        var (_, attached) = rig.Driver("sensor", "drivers/bme280.wasm", "sensor-driver", Bus, 0x76);
        Assert.Equal(1u, attached!.Value.CaseIndex);
        Assert.Contains("no-acknowledge(address)", attached.Value.Payload!.Value.AsString());
    }

    [Fact]
    public void TheRogueDisplaysReadOfAnAddressItIsNotGrantedIsDeniedAsOtherAndAudited()
    {
        using var rig = new Rig(SensorPolicy);
        var (display, attached) = rig.Driver("rogue-display", "drivers/rogue_display.wasm", "display-driver", Bus, 0x27);
        Assert.Equal(0u, attached!.Value.CaseIndex);

        var shown = display.GetFunction("rogue-display", "ironwasm:devices/display@0.1.0#show").Invoke(V.List(V.String("hello")))!.Value;
        Assert.Equal(0u, shown.CaseIndex);
        var name = display.GetFunction("rogue-display", "ironwasm:devices/display@0.1.0#driver-name").Invoke()!.Value.AsString();
        Assert.Contains("eeprom read at 0x50 failed: other", name);
        Assert.Contains("hello", rig.Sim.GetDevice<Hd44780LcdDevice>("lcd").RenderText());

        var denial = Assert.Single(rig.Audit(AuditEvent.Denied));
        Assert.Equal(("rogue-display", PolicyInterface.I2c, "sim-i2c-1/0x50", "read-write", "address-not-granted"),
            (denial.Guest, denial.Interface, denial.Resource, denial.Operation, denial.Reason));
    }

    // ---- every function, from a raw guest ------------------------------------------------------

    [Fact]
    public void WriteThenReadMoveBytesToAndFromTheDevice()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        Assert.Null(bus.Write(0x50, [0x20, 9, 8, 7]));          // page write at 0x20
        Assert.Null(bus.Write(0x50, [0x20]));                   // set the address counter
        Assert.Equal([9, 8, 7], bus.Read(0x50, 3).Data!);
        Assert.Equal(9, rig.Sim.GetDevice<Eeprom24C02Device>("eeprom").ReadAll()[0x20]);
    }

    [Fact]
    public void WriteReadReadsARegisterInOneTransfer()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        Assert.Equal([0xBC], bus.WriteRead(0x5f, [0x0F], 1).Data!);   // HTS221 WHO_AM_I
    }

    [Fact]
    public void ReadsAndWritesOfNoBytesSucceedWithEmptyResults()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        Assert.Equal([], bus.Read(0x5f, 0).Data!);
        Assert.Equal([], bus.WriteRead(0x5f, [0x0F], 0).Data!);
        Assert.Null(bus.Write(0x5f, []));
    }

    [Fact]
    public void ATransactionRunsItsOperationsInOrderAndReturnsOneListPerRead()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        Assert.Null(bus.Write(0x50, [0x30, 1, 2, 3, 4]));
        var (results, error) = bus.Transaction(0x50, Probe.WriteOp([0x30]), Probe.ReadOp(2), Probe.WriteOp([0x32]), Probe.ReadOp(2));
        Assert.Null(error);
        Assert.Equal(2, results!.Length);
        Assert.Equal([1, 2], results[0]);
        Assert.Equal([3, 4], results[1]);
    }

    [Fact]
    public void AnEmptyTransactionIsAQuickCommandThatProbesForTheDevice()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        var (results, error) = bus.Transaction(0x5f);
        Assert.Null(error);
        Assert.Empty(results!);
        Assert.Equal("no-acknowledge(address)", bus.Transaction(0x51).Error);   // granted, but nothing there
    }

    // ---- limits ------------------------------------------------------------------------------

    [Theory]
    [InlineData(65536UL)]
    [InlineData(1UL << 40)]
    [InlineData(ulong.MaxValue)]
    public void AskingForMoreThan65535BytesIsOverrunNotAnAllocation(ulong length)
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        Assert.Equal("overrun", bus.Read(0x5f, length).Error);
        Assert.Equal("overrun", bus.WriteRead(0x5f, [0x0F], length).Error);
        Assert.Equal("overrun", bus.Transaction(0x5f, Probe.ReadOp(length)).Error);
        Assert.Equal([0xBC], bus.WriteRead(0x5f, [0x0F], 1).Data!);
    }

    [Fact]
    public void ATransactionWhoseReadsTogetherPassAMebibyteIsOverrun()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        var ops = Enumerable.Repeat(Probe.ReadOp(65535), 17).ToArray();   // 17 x 64 KiB > 1 MiB
        Assert.Equal("overrun", bus.Transaction(0x5f, ops).Error);
    }

    // ---- policy --------------------------------------------------------------------------------

    [Fact]
    public void AnAddressThePolicyDoesNotGrantIsOtherAndAudited()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        Assert.Equal("other", bus.WriteRead(0x76, [0xD0], 1).Error);   // a BME280 is there, but not for this guest
        var denial = Assert.Single(rig.Audit(AuditEvent.Denied));
        Assert.Equal(("probe", "sim-i2c-1/0x76", "read-write", "address-not-granted"), (denial.Guest, denial.Resource, denial.Operation, denial.Reason));
    }

    [Fact]
    public void AWriteOnlyGrantWritesButCannotRead()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "writer");
        Assert.Null(bus.Write(0x50, [0x00, 0x42]));
        Assert.Equal("other", bus.Read(0x50, 1).Error);
        Assert.Equal("other", bus.WriteRead(0x50, [0x00], 1).Error);            // needs read-write
        Assert.Equal("other", bus.Transaction(0x50, Probe.ReadOp(1)).Error);
        Assert.Equal(0x42, rig.Sim.GetDevice<Eeprom24C02Device>("eeprom").ReadAll()[0]);
        Assert.Equal(["read", "read-write", "read"], rig.Audit(AuditEvent.Denied).Select(r => r.Operation));
        Assert.All(rig.Audit(AuditEvent.Denied), r => Assert.Equal("access-not-granted", r.Reason));
    }

    [Fact]
    public void ReplacingThePolicyRevokesALiveBusHandle()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        Assert.Equal([0xBC], bus.WriteRead(0x5f, [0x0F], 1).Data!);

        var replaced = rig.Replace("guests: {}");
        Assert.Equal(1, replaced.LeasesRevoked);
        var revocation = Assert.Single(rig.Audit(AuditEvent.Revoked));
        Assert.Equal(("probe", "sim-i2c-1"), (revocation.Guest, revocation.Resource));

        Assert.Equal("other", bus.WriteRead(0x5f, [0x0F], 1).Error);
        Assert.Equal("revoked", Assert.Single(rig.Audit(AuditEvent.Denied)).Reason);
        // Granting it again does not bring the old handle back.
        rig.Replace(SensorPolicy);
        Assert.Equal("other", bus.Read(0x5f, 1).Error);
    }

    [Fact]
    public void APolicyThatDropsOneAddressKeepsTheHandleButDeniesThatAddress()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        rig.Replace(SensorPolicy.Replace("[0x5f, 0x50, 0x51]", "[0x50]"));
        Assert.Empty(rig.Audit(AuditEvent.Revoked));
        Assert.Equal("other", bus.WriteRead(0x5f, [0x0F], 1).Error);
        Assert.Null(bus.Write(0x50, [0x00]));
    }

    // ---- faults ------------------------------------------------------------------------------

    [Theory]
    [InlineData(I2cFaultKind.NoAcknowledgeAddress, "no-acknowledge(address)")]
    [InlineData(I2cFaultKind.NoAcknowledgeData, "no-acknowledge(data)")]
    [InlineData(I2cFaultKind.BusError, "bus")]
    [InlineData(I2cFaultKind.ArbitrationLoss, "arbitration-loss")]
    public void AnInjectedFaultReachesTheGuestAsItsWitError(I2cFaultKind kind, string error)
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        using var fault = rig.Sim.GetI2cBus(Bus).InjectFault(new I2cFault(kind, FaultTrigger.Once, Address: 0x5f));
        Assert.Equal(error, bus.WriteRead(0x5f, [0x0F], 1).Error);
        Assert.Equal([0xBC], bus.WriteRead(0x5f, [0x0F], 1).Data!);   // once, then the bus is fine
    }

    [Fact]
    public void AFaultAlsoFailsWritesAndTransactions()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        using var fault = rig.Sim.GetI2cBus(Bus).InjectFault(new I2cFault(I2cFaultKind.NoAcknowledgeData, FaultTrigger.Always, Address: 0x50));
        Assert.Equal("no-acknowledge(data)", bus.Write(0x50, [0x00, 1]));
        Assert.Equal("no-acknowledge(data)", bus.Transaction(0x50, Probe.WriteOp([0x00]), Probe.ReadOp(1)).Error);
        Assert.Equal("no-acknowledge(data)", bus.Read(0x50, 1).Error);
    }

    [Fact]
    public void ASlowDeviceIsWaitedForAndAnswers()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        using var fault = rig.Sim.GetI2cBus(Bus).InjectFault(new I2cFault(I2cFaultKind.Latency, FaultTrigger.Always, Address: 0x5f, Latency: TimeSpan.FromMilliseconds(3)));
        Assert.Equal([0xBC], bus.WriteRead(0x5f, [0x0F], 1).Data!);
        Assert.Equal(1, fault.Fired);
    }

    [Theory]
    [InlineData(I2cStatus.NoAcknowledgeAddress, "no-acknowledge(address)")]
    [InlineData(I2cStatus.NoAcknowledgeData, "no-acknowledge(data)")]
    [InlineData(I2cStatus.NoAcknowledgeUnknown, "no-acknowledge(unknown)")]
    [InlineData(I2cStatus.BusError, "bus")]
    [InlineData(I2cStatus.ArbitrationLoss, "arbitration-loss")]
    [InlineData(I2cStatus.Overrun, "overrun")]
    [InlineData(I2cStatus.Other, "other")]
    public void EveryBackendStatusMapsToItsWitError(I2cStatus status, string error)
    {
        using var rig = new Rig(FakeBusPolicy, "env:temperature=20");
        rig.Inventory.Add(new FakeI2cBus("fake-i2c") { Status = status });
        var bus = Probe.Attach(rig, "probe", "fake-i2c");
        Assert.Equal(error, bus.Read(0x10, 1).Error);
        Assert.Equal(error, bus.Write(0x10, [1]));
        Assert.Equal(error, bus.WriteRead(0x10, [1], 1).Error);
        Assert.Equal(error, bus.Transaction(0x10, Probe.ReadOp(1)).Error);
    }

    [Fact]
    public void ABackendThatThrowsIsOtherNotATrap()
    {
        using var rig = new Rig(FakeBusPolicy, "env:temperature=20");
        rig.Inventory.Add(new FakeI2cBus("fake-i2c") { Throw = true });
        var bus = Probe.Attach(rig, "probe", "fake-i2c");
        Assert.Equal("other", bus.WriteRead(0x10, [1], 1).Error);
    }

    private const string FakeBusPolicy = """
        guests:
          probe:
            i2c:
              - bus: fake-i2c
                addresses: [0x10]
                access: read-write
        """;

    // ---- handles -----------------------------------------------------------------------------

    [Fact]
    public void DroppingTheBusHandleDisposesItsLease()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        Assert.Equal(1, rig.Policy.LiveLeaseCount);
        bus.Drop();
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
        Assert.Equal(0, bus.Guest.HandleCount);
        // The policy change finds nothing to revoke.
        Assert.Equal(0, rig.Replace("guests: {}").LeasesChecked);
    }

    [Fact]
    public void TheDelayWaitsAtLeastAsLongAsAsked()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bus.Delay(3_000_000);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(3), $"waited {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public void AWriteReadFromAGuestAllocatesNothingButItsResult()
    {
        using var rig = new Rig(SensorPolicy);
        var bus = Probe.Attach(rig, "probe");
        var writeRead = bus.Guest.Action6("wasi:i2c/i2c@0.2.0-draft#[method]i2c.write-read");
        int register = bus.Guest.Put([0xA8]);   // HTS221 outputs, auto-increment
        for (int i = 0; i < 50; i++) writeRead(bus.Handle, 0x5f, register, 1, 4L, RawGuest.Ret);
        bus.Guest.ResetHeap();

        const int Calls = 2000;
        long baseline = Allocated(() =>
        {
            for (int i = 0; i < Calls; i++) GC.KeepAlive(new byte[4]);
        });
        long used = Allocated(() =>
        {
            for (int i = 0; i < Calls; i++) writeRead(bus.Handle, 0x5f, register, 1, 4L, RawGuest.Ret);
        });
        Assert.Equal(0, bus.Guest.U8(RawGuest.Ret));
        // At least the results (so the count is real), and nothing more but noise under a byte per call.
        Assert.InRange(used, baseline, baseline + 512);
    }

    private static long Allocated(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

/// <summary>A raw guest holding an I2C bus and delay handle, with the calls decoded.</summary>
internal sealed class Probe
{
    private const string I2c = "wasi:i2c/i2c@0.2.0-draft";
    private const int Ret = RawGuest.Ret;

    private Probe(RawGuest guest, int handle, int delay)
    {
        Guest = guest;
        Handle = handle;
        DelayHandle = delay;
    }

    public RawGuest Guest { get; }
    public int Handle { get; }
    public int DelayHandle { get; }

    public static Probe Attach(Rig rig, string guest, string bus = "sim-i2c-1")
    {
        var raw = rig.Raw(guest);
        var (busHandle, delay) = rig.Host.OpenI2cForAttach(raw.Canonical, guest, bus);
        return new Probe(raw, raw.Take(busHandle), raw.Take(delay));
    }

    public (byte[]? Data, string? Error) Read(ushort address, ulong length)
    {
        Guest.Call(I2c, "[method]i2c.read", Handle, (int)address, (long)length, Ret);
        return Guest.U8(Ret) == 0 ? (Guest.ListAt(Ret + 4), null) : (null, Error(Ret + 4));
    }

    /// <summary>Null on success, else the error.</summary>
    public string? Write(ushort address, byte[] data)
    {
        int at = Guest.Put(data);
        Guest.Call(I2c, "[method]i2c.write", Handle, (int)address, at, data.Length, Ret);
        return Guest.U8(Ret) == 0 ? null : Error(Ret + 1);
    }

    public (byte[]? Data, string? Error) WriteRead(ushort address, byte[] write, ulong readLength)
    {
        int at = Guest.Put(write);
        Guest.Call(I2c, "[method]i2c.write-read", Handle, (int)address, at, write.Length, (long)readLength, Ret);
        return Guest.U8(Ret) == 0 ? (Guest.ListAt(Ret + 4), null) : (null, Error(Ret + 4));
    }

    public (byte[][]? Results, string? Error) Transaction(ushort address, params byte[][] operations)
    {
        // Each operation as the canonical ABI lays out variant operation { read(u64), write(list<u8>) }:
        // 16 bytes, the case at 0 and the payload at 8.
        var ops = new byte[16 * operations.Length];
        for (int i = 0; i < operations.Length; i++)
        {
            var op = ops.AsSpan(16 * i, 16);
            op[0] = operations[i][0];
            if (operations[i][0] == 0) operations[i].AsSpan(1, 8).CopyTo(op[8..]);
            else
            {
                int data = Guest.Put(operations[i].AsSpan(1));
                BinaryPrimitives.WriteInt32LittleEndian(op[8..], data);
                BinaryPrimitives.WriteInt32LittleEndian(op[12..], operations[i].Length - 1);
            }
        }
        int list = Guest.Put(ops);
        Guest.Call(I2c, "[method]i2c.transaction", Handle, (int)address, list, operations.Length, Ret);
        if (Guest.U8(Ret) != 0) return (null, Error(Ret + 4));
        int results = (int)Guest.U32(Ret + 4), count = (int)Guest.U32(Ret + 8);
        return (Enumerable.Range(0, count).Select(i => Guest.ListAt(results + 8 * i)).ToArray(), null);
    }

    public static byte[] ReadOp(ulong length)
    {
        var op = new byte[9];
        BinaryPrimitives.WriteUInt64LittleEndian(op.AsSpan(1), length);
        return op;
    }

    public static byte[] WriteOp(byte[] data) => [1, .. data];

    public void Delay(uint ns) => Guest.Call("wasi:i2c/delay@0.2.0-draft", "[method]delay.delay-ns", DelayHandle, (int)ns);

    public void Drop()
    {
        Guest.Call(I2c, "[resource-drop]i2c", Handle);
        Guest.Call("wasi:i2c/delay@0.2.0-draft", "[resource-drop]delay", DelayHandle);
    }

    /// <summary>An error-code stored at <paramref name="at"/>, in WIT words.</summary>
    private string Error(int at) => Guest.U8(at) switch
    {
        0 => "bus",
        1 => "arbitration-loss",
        2 => $"no-acknowledge({new[] { "address", "data", "unknown" }[Guest.U8(at + 1)]})",
        3 => "overrun",
        4 => "other",
        var tag => $"bad tag {tag}",
    };
}

/// <summary>A bus whose every transfer ends with <see cref="Status"/> (or throws).</summary>
internal sealed class FakeI2cBus(string name) : II2cBus
{
    public I2cStatus Status { get; init; } = I2cStatus.Ok;
    public bool Throw { get; init; }
    public bool Disposed { get; private set; }
    public string Name { get; } = name;
    public string Description => "fake bus";

    public I2cStatus Transfer(ushort address, ReadOnlySpan<I2cMessage> messages) =>
        Throw ? throw new IOException("the adapter is gone") : Status;

    public void Dispose() => Disposed = true;
}
