using IronWasm.Components.Bindings;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;
using static IronWasm.Hardware.Bindings.WasiSpi.Spi;
using BackendSpiDevice = IronWasm.Hardware.Buses.ISpiDevice;
using GuestSpiDevice = IronWasm.Hardware.Bindings.WasiSpi.Spi.ISpiDevice;

namespace IronWasm.Hardware.Hosts;

/// <summary>wasi:spi's <c>open</c> for one guest: checks the policy first (so a denial does not
/// reveal whether the device exists), then finds the device in the inventory.</summary>
internal sealed class SpiHost(GuestScope scope) : IHost
{
    public Result<GuestSpiDevice, Error> Open(string name)
    {
        var host = scope.Host;
        if (host.IsDisposed) return Result.Err(Error.Other(HardwareHost.ShutDownMessage));
        var verdict = host.Policy.OpenSpi(scope.Guest, name, out SpiLease? lease);
        if (verdict != PolicyVerdict.Granted)
            return Result.Err(Error.Other($"access denied: guest '{scope.Guest}' may not use SPI device '{name}' ({verdict.ToReasonText()})"));
        if (!host.Inventory.TryGetSpiDevice(name, out BackendSpiDevice? device))
        {
            lease!.Dispose();
            return Result.Err(Error.Other($"no SPI device is named '{name}'"));
        }
        var handle = new SpiDeviceHandle(scope, device, lease!);
        if (!host.Track(handle)) return Result.Err(Error.Other(HardwareHost.ShutDownMessage));
        return Result.Ok<GuestSpiDevice>(handle);
    }
}

/// <summary>
/// A guest's SPI device. Each call is one backend transaction with chip select held throughout,
/// checked against the guest's lease first. Limits: one operation reads or writes at most
/// <see cref="MaxOperationLength"/> bytes, a call at most <see cref="MaxCallLength"/> in all.
/// </summary>
internal sealed class SpiDeviceHandle : HostObject, GuestSpiDevice
{
    public const int MaxOperationLength = 1 << 20;
    public const int MaxCallLength = 4 << 20;

    internal const string RevokedMessage = "access revoked: the policy no longer grants this SPI device";

    private readonly BackendSpiDevice _device;
    private readonly SpiLease _lease;
    private SpiOperation[] _operations = new SpiOperation[1];
    private byte[] _scratch = new byte[32];

    public SpiDeviceHandle(GuestScope scope, BackendSpiDevice device, SpiLease lease) : base(scope)
    {
        _device = device;
        _lease = lease;
    }

    public Result<byte[], Error> Read(ulong len)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        if (len > MaxOperationLength) return Result.Err(TooLong(len));
        byte[] into = len == 0 ? [] : new byte[len];
        _operations[0] = SpiOperation.ReadInto(into);
        return Run(1) is { } error ? Result.Err(error) : Result.Ok(into);
    }

    /// <summary>The WIT declares <c>write: func(data: list&lt;u8&gt;) -> result&lt;error&gt;</c>: the
    /// only case with a payload is ok, so a failure is <c>ok(error)</c> and success is <c>err</c>
    /// (nothing to report). Guests should prefer <c>transaction</c>, whose result is unambiguous.</summary>
    public Result<Error, Unit> Write(ReadOnlySpan<byte> data)
    {
        if (Deny() is { } denied) return Result.Ok(denied);
        if (data.Length > MaxOperationLength) return Result.Ok(TooLong((ulong)data.Length));
        _operations[0] = SpiOperation.WriteFrom(Stage(data, 0));
        return Run(1) is { } error ? Result.Ok(error) : Result.Err();
    }

    public Result<byte[], Error> Transfer(ReadOnlySpan<byte> data)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        if (data.Length > MaxOperationLength) return Result.Err(TooLong((ulong)data.Length));
        byte[] into = data.IsEmpty ? [] : new byte[data.Length];
        _operations[0] = SpiOperation.TransferBoth(Stage(data, 0), into);
        return Run(1) is { } error ? Result.Err(error) : Result.Ok(into);
    }

    public Result<OperationResult[], Error> Transaction(Operation[] operations)
    {
        if (Deny() is { } denied) return Result.Err(denied);
        long total = 0;
        foreach (Operation operation in operations)
        {
            ulong length = operation.Tag switch
            {
                Operation.Case.Read => operation.AsRead,
                Operation.Case.Write => (ulong)operation.AsWrite.Length,
                Operation.Case.Transfer => (ulong)operation.AsTransfer.Length,
                _ => 0,
            };
            if (length > MaxOperationLength) return Result.Err(TooLong(length));
            total += (long)length;
        }
        if (total > MaxCallLength)
            return Result.Err(Error.Other($"a transaction of {total} bytes is more than the host allows in one call ({MaxCallLength})"));

        var results = new OperationResult[operations.Length];
        if (_operations.Length < operations.Length) _operations = new SpiOperation[operations.Length];
        for (int i = 0; i < operations.Length; i++)
        {
            Operation operation = operations[i];
            switch (operation.Tag)
            {
                case Operation.Case.Read:
                    {
                        byte[] into = operation.AsRead == 0 ? [] : new byte[operation.AsRead];
                        _operations[i] = SpiOperation.ReadInto(into);
                        results[i] = OperationResult.Read(into);
                        break;
                    }
                case Operation.Case.Write:
                    _operations[i] = SpiOperation.WriteFrom(operation.AsWrite);
                    results[i] = OperationResult.Write;
                    break;
                case Operation.Case.Transfer:
                    {
                        byte[] data = operation.AsTransfer;
                        byte[] into = data.Length == 0 ? [] : new byte[data.Length];
                        _operations[i] = SpiOperation.TransferBoth(data, into);
                        results[i] = OperationResult.Transfer(into);
                        break;
                    }
                default:
                    _operations[i] = SpiOperation.Wait(operation.AsDelayNs);
                    results[i] = OperationResult.Delay;
                    break;
            }
        }
        return Run(operations.Length) is { } error ? Result.Err(error) : Result.Ok(results);
    }

    /// <summary>The wasi:spi error for a failed transaction.</summary>
    internal static Error ToError(SpiStatus status, string? message) => status switch
    {
        SpiStatus.Overrun => Error.Overrun,
        SpiStatus.ModeFault => Error.ModeFault,
        SpiStatus.FrameFormat => Error.FrameFormat,
        SpiStatus.ChipSelectFault => Error.ChipSelectFault,
        _ => Error.Other(message ?? "the SPI transaction failed"),
    };

    private Error? Deny()
    {
        if (IsClosed) return Error.Other(Host.IsDisposed ? HardwareHost.ShutDownMessage : RevokedMessage);
        return _lease.Check() == PolicyVerdict.Granted ? null : Error.Other(RevokedMessage);
    }

    private static Error TooLong(ulong length) =>
        Error.Other($"an SPI operation of {length} bytes is more than the host allows ({MaxOperationLength})");

    private Memory<byte> Stage(ReadOnlySpan<byte> data, int at)
    {
        if (_scratch.Length < at + data.Length) Array.Resize(ref _scratch, Math.Max(at + data.Length, _scratch.Length * 2));
        data.CopyTo(_scratch.AsSpan(at));
        return _scratch.AsMemory(at, data.Length);
    }

    private Error? Run(int count)
    {
        try
        {
            var status = _device.Transaction(_operations.AsSpan(0, count), out string? message);
            return status == SpiStatus.Ok ? null : ToError(status, message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Error.Other($"the SPI device failed: {e.Message}");
        }
        finally
        {
            _operations.AsSpan(0, count).Clear();
        }
    }

    private protected override void OnClose() => _lease.Dispose();
}
