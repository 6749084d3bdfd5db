using System.Buffers.Binary;
using System.Text;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation.Devices;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Hardware.Tests.Hosts;

/// <summary>wasi:spi through the generated bindings: the C flash app, and a raw guest for every function.</summary>
public class SpiHostTests
{
    private const string Policy = """
        guests:
          app:
            spi:
              - device: flash0
              - device: missing0
          probe:
            spi:
              - device: flash0
              - device: fake0
        """;

    [Fact]
    public void TheFlashAppProgramsAndReadsBackTheSimulatedFlashThroughTheHost()
    {
        using var rig = new Rig(Policy);
        var app = rig.Component("app", "apps/spi_flash.wasm", "spi-flash-app");
        var result = app.GetFunction("app", "run").Invoke(V.U32(0x1000), V.String("hello flash"))!.Value;
        string report = result.Payload!.Value.AsString();
        Assert.True(result.CaseIndex == 0, report);
        Assert.Contains("jedec id ef 40 15", report);
        Assert.Contains("read back \"hello flash\": match", report);
        Assert.Equal("hello flash", Encoding.ASCII.GetString(rig.Sim.GetDevice<SpiNorFlashDevice>("flash0").ReadMemory(0x1000, 11)));
        // run drops its device before it returns.
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void TheFlashAppIsToldWhenThePolicyDoesNotGrantTheDevice()
    {
        using var rig = new Rig("guests: {}");
        var app = rig.Component("app", "apps/spi_flash.wasm", "spi-flash-app");
        var result = app.GetFunction("app", "run").Invoke(V.U32(0), V.String("x"))!.Value;
        Assert.Equal(1u, result.CaseIndex);
        Assert.Contains("access denied: guest 'app' may not use SPI device 'flash0' (unknown-guest)", result.Payload!.Value.AsString());
    }

    [Fact]
    public void ATransactionKeepsChipSelectAcrossItsOperationsAndReturnsOneResultEach()
    {
        using var rig = new Rig(Policy);
        var flash = SpiProbe.Open(rig, "probe", "flash0");
        var (results, error) = flash.Transaction(SpiProbe.WriteOp([0x9F]), SpiProbe.ReadOp(3), SpiProbe.DelayOp(1000), SpiProbe.TransferOp([0, 0]));
        Assert.Null(error);
        Assert.Equal(["write", "read:ef 40 15", "delay", "transfer:ff ff"], results!);
    }

    [Fact]
    public void ReadWriteAndTransferAreOneChipSelectFrameEach()
    {
        using var rig = new Rig(Policy);
        var flash = SpiProbe.Open(rig, "probe", "flash0");
        Assert.Equal([0xFF, 0xEF, 0x40, 0x15], flash.Transfer([0x9F, 0, 0, 0]).Data!);
        Assert.Null(flash.Write([0x06]));                                     // write enable
        Assert.Equal(0x02, rig.Sim.GetDevice<SpiNorFlashDevice>("flash0").Status & 0x02);
        Assert.Equal([0xFF, 0xFF], flash.Read(2).Data!);                       // nothing drives MISO
        Assert.Equal([], flash.Read(0).Data!);
    }

    [Fact]
    public void WriteReportsAFailureInTheOkCaseAsTheWitDeclaresResultOfError()
    {
        using var rig = new Rig(Policy);
        rig.Inventory.Add(new FakeSpiDevice("fake0") { Status = SpiStatus.ModeFault });
        var fake = SpiProbe.Open(rig, "probe", "fake0");
        // result<error>: ok(error) is the failure, err (no payload) the success.
        Assert.Equal("mode-fault", fake.Write([1]));
        var flash = SpiProbe.Open(rig, "probe", "flash0");
        Assert.Null(flash.Write([0x04]));
    }

    [Theory]
    [InlineData(SpiStatus.Overrun, "overrun")]
    [InlineData(SpiStatus.ModeFault, "mode-fault")]
    [InlineData(SpiStatus.FrameFormat, "frame-format")]
    [InlineData(SpiStatus.ChipSelectFault, "chip-select-fault")]
    [InlineData(SpiStatus.Other, "other(the wire is loose)")]
    public void EveryBackendStatusMapsToItsWitError(SpiStatus status, string error)
    {
        using var rig = new Rig(Policy);
        rig.Inventory.Add(new FakeSpiDevice("fake0") { Status = status, Message = "the wire is loose" });
        var fake = SpiProbe.Open(rig, "probe", "fake0");
        Assert.Equal(error, fake.Read(1).Error);
        Assert.Equal(error, fake.Write([1]));
        Assert.Equal(error, fake.Transfer([1]).Error);
        Assert.Equal(error, fake.Transaction(SpiProbe.ReadOp(1)).Error);
    }

    [Fact]
    public void ABackendThatThrowsIsOtherWithItsMessage()
    {
        using var rig = new Rig(Policy);
        rig.Inventory.Add(new FakeSpiDevice("fake0") { Throw = true });
        var fake = SpiProbe.Open(rig, "probe", "fake0");
        Assert.Equal("other(the SPI device failed: spidev is gone)", fake.Read(1).Error);
    }

    [Fact]
    public void OpeningADeviceThePolicyDoesNotGrantIsAccessDeniedAndAudited()
    {
        using var rig = new Rig(Policy);
        var guest = rig.Raw("probe");
        Assert.Equal("other(access denied: guest 'probe' may not use SPI device 'adc0' (resource-not-granted))", SpiProbe.TryOpen(guest, "adc0").Error);
        var denial = Assert.Single(rig.Audit(AuditEvent.Denied));
        Assert.Equal(("probe", PolicyInterface.Spi, "adc0", "open", "resource-not-granted"), (denial.Guest, denial.Interface, denial.Resource, denial.Operation, denial.Reason));
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void OpeningAGrantedDeviceTheInventoryLacksSaysSoWithoutKeepingALease()
    {
        using var rig = new Rig(Policy);
        Assert.Equal("other(no SPI device is named 'missing0')", SpiProbe.TryOpen(rig.Raw("app"), "missing0").Error);
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void ReplacingThePolicyRevokesALiveDeviceHandle()
    {
        using var rig = new Rig(Policy);
        var flash = SpiProbe.Open(rig, "probe", "flash0");
        Assert.Equal(1, rig.Replace("guests: {probe: {spi: [{device: fake0}]}}").LeasesRevoked);
        Assert.Equal("other(access revoked: the policy no longer grants this SPI device)", flash.Read(1).Error);
        Assert.Equal("other(access revoked: the policy no longer grants this SPI device)", flash.Write([0x06]));
        Assert.Single(rig.Audit(AuditEvent.Revoked));
        Assert.Equal("revoked", rig.Audit(AuditEvent.Denied)[0].Reason);
    }

    [Fact]
    public void AnOperationOfMoreThanAMebibyteIsRefusedBeforeAnythingIsAllocated()
    {
        using var rig = new Rig(Policy);
        var flash = SpiProbe.Open(rig, "probe", "flash0");
        Assert.Equal("other(an SPI operation of 1048577 bytes is more than the host allows (1048576))", flash.Read(1 << 20 | 1).Error);
        Assert.StartsWith("other(an SPI operation of 18446744073709551615 bytes", flash.Transaction(SpiProbe.ReadOp(ulong.MaxValue)).Error);
        var fiveReads = Enumerable.Repeat(SpiProbe.ReadOp(1 << 20), 5).ToArray();
        Assert.StartsWith("other(a transaction of 5242880 bytes is more than the host allows", flash.Transaction(fiveReads).Error);
        Assert.Equal(1 << 20, flash.Read(1 << 20).Data!.Length);
    }

    [Fact]
    public void DroppingTheDeviceHandleDisposesItsLease()
    {
        using var rig = new Rig(Policy);
        var flash = SpiProbe.Open(rig, "probe", "flash0");
        Assert.Equal(1, rig.Policy.LiveLeaseCount);
        flash.Drop();
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
        Assert.Equal(0, flash.Guest.HandleCount);
    }
}

/// <summary>A raw guest holding an SPI device handle, with the calls decoded.</summary>
internal sealed class SpiProbe
{
    private const string Spi = "wasi:spi/spi";
    private const int Ret = RawGuest.Ret;

    private SpiProbe(RawGuest guest, int handle)
    {
        Guest = guest;
        Handle = handle;
    }

    public RawGuest Guest { get; }
    public int Handle { get; }

    public static SpiProbe Open(Rig rig, string guest, string device)
    {
        var raw = rig.Raw(guest);
        var (handle, error) = TryOpen(raw, device);
        Assert.Null(error);
        return new SpiProbe(raw, handle);
    }

    public static (int Handle, string? Error) TryOpen(RawGuest guest, string device)
    {
        var (ptr, len) = guest.PutString(device);
        guest.Call(Spi, "open", ptr, len, Ret);
        return guest.U8(Ret) == 0 ? ((int)guest.U32(Ret + 4), null) : (0, Error(guest, Ret + 4));
    }

    public (byte[]? Data, string? Error) Read(ulong length)
    {
        Guest.Call(Spi, "[method]spi-device.read", Handle, (long)length, Ret);
        return Guest.U8(Ret) == 0 ? (Guest.ListAt(Ret + 4), null) : (null, Error(Guest, Ret + 4));
    }

    /// <summary>Null on success, else the error (see the host's reading of <c>result&lt;error&gt;</c>).</summary>
    public string? Write(byte[] data)
    {
        int at = Guest.Put(data);
        Guest.Call(Spi, "[method]spi-device.write", Handle, at, data.Length, Ret);
        return Guest.U8(Ret) == 1 ? null : Error(Guest, Ret + 4);
    }

    public (byte[]? Data, string? Error) Transfer(byte[] data)
    {
        int at = Guest.Put(data);
        Guest.Call(Spi, "[method]spi-device.transfer", Handle, at, data.Length, Ret);
        return Guest.U8(Ret) == 0 ? (Guest.ListAt(Ret + 4), null) : (null, Error(Guest, Ret + 4));
    }

    /// <summary>Runs the operations; each result as "write", "delay", "read:aa bb" or "transfer:aa bb".</summary>
    public (string[]? Results, string? Error) Transaction(params (byte Case, ulong Number, byte[]? Data)[] operations)
    {
        // variant operation { read(u64), write(list<u8>), transfer(list<u8>), delay-ns(u32) }: 16 bytes, payload at 8.
        var ops = new byte[16 * operations.Length];
        for (int i = 0; i < operations.Length; i++)
        {
            var op = ops.AsSpan(16 * i, 16);
            var (kind, number, data) = operations[i];
            op[0] = kind;
            if (data is null) BinaryPrimitives.WriteUInt64LittleEndian(op[8..], number);
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(op[8..], Guest.Put(data));
                BinaryPrimitives.WriteInt32LittleEndian(op[12..], data.Length);
            }
        }
        int list = Guest.Put(ops);
        Guest.Call(Spi, "[method]spi-device.transaction", Handle, list, operations.Length, Ret);
        if (Guest.U8(Ret) != 0) return (null, Error(Guest, Ret + 4));
        int results = (int)Guest.U32(Ret + 4), count = (int)Guest.U32(Ret + 8);
        // variant operation-result { read(list<u8>), write, transfer(list<u8>), delay }: 12 bytes, payload at 4.
        return (Enumerable.Range(0, count).Select(i =>
        {
            int at = results + 12 * i;
            return Guest.U8(at) switch
            {
                0 => "read:" + Hex(Guest.ListAt(at + 4)),
                1 => "write",
                2 => "transfer:" + Hex(Guest.ListAt(at + 4)),
                3 => "delay",
                var tag => $"bad tag {tag}",
            };
        }).ToArray(), null);
    }

    public static (byte, ulong, byte[]?) ReadOp(ulong length) => (0, length, null);
    public static (byte, ulong, byte[]?) WriteOp(byte[] data) => (1, 0, data);
    public static (byte, ulong, byte[]?) TransferOp(byte[] data) => (2, 0, data);
    public static (byte, ulong, byte[]?) DelayOp(uint ns) => (3, ns, null);

    public void Drop() => Guest.Call(Spi, "[resource-drop]spi-device", Handle);

    private static string Hex(byte[] bytes) => string.Join(" ", bytes.Select(b => b.ToString("x2")));

    private static string Error(RawGuest guest, int at) => guest.U8(at) switch
    {
        0 => "overrun",
        1 => "mode-fault",
        2 => "frame-format",
        3 => "chip-select-fault",
        4 => $"other({guest.StringAt(at + 4)})",
        var tag => $"bad tag {tag}",
    };
}

/// <summary>An SPI device whose every transaction ends with <see cref="Status"/> (or throws).</summary>
internal sealed class FakeSpiDevice(string name) : ISpiDevice
{
    public SpiStatus Status { get; init; } = SpiStatus.Ok;
    public string? Message { get; init; }
    public bool Throw { get; init; }
    public bool Disposed { get; private set; }
    public string Name { get; } = name;
    public string Description => "fake SPI device";

    public SpiStatus Transaction(ReadOnlySpan<SpiOperation> operations, out string? message)
    {
        if (Throw) throw new IOException("spidev is gone");
        message = Status == SpiStatus.Ok ? null : Message;
        return Status;
    }

    public void Dispose() => Disposed = true;
}
