using IronWasm.Components.Bindings;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;
using static IronWasm.Hardware.Bindings.WasiI2c.I2c;

namespace IronWasm.Hardware.Hosts;

/// <summary>
/// A guest's <c>wasi:i2c</c> bus: one backend bus and the guest's lease on it. Every transfer is
/// checked against the policy for its address and direction first; a denial (or a revoked lease,
/// or a closed handle) is <c>other</c>, a request longer than <see cref="MaxMessageLength"/> is
/// <c>overrun</c>, and backend failures map one to one (see <see cref="ToErrorCode"/>).
/// </summary>
/// <remarks>A guest instance runs on one thread at a time, so the scratch buffers need no lock.</remarks>
internal sealed class I2cBusHandle : HostObject, II2c
{
    /// <summary>The longest read or write one operation may ask for: the most an i2c-dev message carries.</summary>
    public const int MaxMessageLength = ushort.MaxValue;

    /// <summary>The most bytes all the reads of one transaction may ask for together.</summary>
    public const int MaxTransactionReadLength = 1 << 20;

    private readonly II2cBus _bus;
    private readonly I2cLease _lease;
    // Reused so that write and write-read allocate nothing but the result the signature returns.
    private I2cMessage[] _messages = new I2cMessage[2];
    private byte[] _scratch = new byte[32];

    public I2cBusHandle(GuestScope scope, II2cBus bus, I2cLease lease) : base(scope)
    {
        _bus = bus;
        _lease = lease;
    }

    public string Bus => _bus.Name;

    public Result<byte[], ErrorCode> Read(ushort address, ulong len)
    {
        if (!Allowed(address, I2cAccess.Read)) return ErrorCode.Other.AsError<byte[]>();
        if (len > MaxMessageLength) return ErrorCode.Overrun.AsError<byte[]>();
        byte[] into = len == 0 ? [] : new byte[len];
        _messages[0] = I2cMessage.Read(into);
        var status = Transfer(address, 1);
        return status == I2cStatus.Ok ? Result.Ok(into) : ToErrorCode(status).AsError<byte[]>();
    }

    public Result<Unit, ErrorCode> Write(ushort address, ReadOnlySpan<byte> data)
    {
        if (!Allowed(address, I2cAccess.Write)) return Result.Err(ErrorCode.Other);
        if (data.Length > MaxMessageLength) return Result.Err(ErrorCode.Overrun);
        _messages[0] = I2cMessage.Write(Stage(data));
        var status = Transfer(address, 1);
        return status == I2cStatus.Ok ? Result.Ok() : Result.Err(ToErrorCode(status));
    }

    public Result<byte[], ErrorCode> WriteRead(ushort address, ReadOnlySpan<byte> write, ulong readLen)
    {
        // Two messages on the wire, one with the write bit and one with the read bit.
        if (!Allowed(address, I2cAccess.ReadWrite)) return ErrorCode.Other.AsError<byte[]>();
        if (write.Length > MaxMessageLength || readLen > MaxMessageLength) return ErrorCode.Overrun.AsError<byte[]>();
        byte[] into = readLen == 0 ? [] : new byte[readLen];
        _messages[0] = I2cMessage.Write(Stage(write));
        _messages[1] = I2cMessage.Read(into);
        var status = Transfer(address, 2);
        return status == I2cStatus.Ok ? Result.Ok(into) : ToErrorCode(status).AsError<byte[]>();
    }

    public Result<byte[][], ErrorCode> Transaction(ushort address, Operation[] operations)
    {
        var access = I2cAccess.None;
        int reads = 0;
        long readBytes = 0;
        bool tooLong = false;
        foreach (Operation operation in operations)
        {
            if (operation.Tag == Operation.Case.Read)
            {
                access |= I2cAccess.Read;
                reads++;
                ulong len = operation.AsRead;
                tooLong |= len > MaxMessageLength;
                readBytes += (long)Math.Min(len, MaxMessageLength + 1UL);
            }
            else
            {
                access |= I2cAccess.Write;
                tooLong |= operation.AsWrite.Length > MaxMessageLength;
            }
        }
        // No operations is a quick command: the address with the write bit, nothing else.
        if (access == I2cAccess.None) access = I2cAccess.Write;
        if (!Allowed(address, access)) return ErrorCode.Other.AsError<byte[][]>();
        if (tooLong || readBytes > MaxTransactionReadLength) return ErrorCode.Overrun.AsError<byte[][]>();

        var results = reads == 0 ? [] : new byte[reads][];
        if (_messages.Length < operations.Length) _messages = new I2cMessage[operations.Length];
        for (int i = 0, r = 0; i < operations.Length; i++)
        {
            Operation operation = operations[i];
            if (operation.Tag == Operation.Case.Read)
            {
                ulong len = operation.AsRead;
                byte[] into = len == 0 ? [] : new byte[len];
                results[r++] = into;
                _messages[i] = I2cMessage.Read(into);
            }
            else
            {
                _messages[i] = I2cMessage.Write(operation.AsWrite);
            }
        }
        var status = Transfer(address, operations.Length);
        return status == I2cStatus.Ok ? Result.Ok(results) : ToErrorCode(status).AsError<byte[][]>();
    }

    /// <summary>The wasi:i2c error for a failed transfer.</summary>
    internal static ErrorCode ToErrorCode(I2cStatus status) => status switch
    {
        I2cStatus.NoAcknowledgeAddress => ErrorCode.NoAcknowledge(NoAcknowledgeSource.Address),
        I2cStatus.NoAcknowledgeData => ErrorCode.NoAcknowledge(NoAcknowledgeSource.Data),
        I2cStatus.NoAcknowledgeUnknown => ErrorCode.NoAcknowledge(NoAcknowledgeSource.Unknown),
        I2cStatus.BusError => ErrorCode.Bus,
        I2cStatus.ArbitrationLoss => ErrorCode.ArbitrationLoss,
        I2cStatus.Overrun => ErrorCode.Overrun,
        _ => ErrorCode.Other,
    };

    private bool Allowed(ushort address, I2cAccess access) =>
        !IsClosed && _lease.Check(address, access) == PolicyVerdict.Granted;

    /// <summary>Copies guest bytes (which alias guest memory, valid only during the call) into the
    /// handle's scratch buffer, as the backend takes <see cref="Memory{T}"/>.</summary>
    private Memory<byte> Stage(ReadOnlySpan<byte> data)
    {
        if (_scratch.Length < data.Length) _scratch = new byte[Math.Max(data.Length, _scratch.Length * 2)];
        data.CopyTo(_scratch);
        return _scratch.AsMemory(0, data.Length);
    }

    private I2cStatus Transfer(ushort address, int count)
    {
        try
        {
            return _bus.Transfer(address, _messages.AsSpan(0, count));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A closed or broken backend (disposed simulation, unplugged adapter): the guest sees a
            // bus failure it can report, not a trap.
            return I2cStatus.Other;
        }
        finally
        {
            // Drop the references to the guest's results and writes.
            _messages.AsSpan(0, count).Clear();
        }
    }

    private protected override void OnClose() => _lease.Dispose();
}

internal static class I2cResults
{
    public static Result<T, ErrorCode> AsError<T>(this ErrorCode error) => Result<T, ErrorCode>.Err(error);
}
