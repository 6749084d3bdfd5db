using IronWasm.Hardware.Buses;
using static IronWasm.Hardware.Linux.I2cAbi;

namespace IronWasm.Hardware.Linux;

/// <summary>
/// How one I2C transfer is done with a single SMBus command, for adapters that do only SMBus
/// (no I2C_FUNC_I2C; i2c-stub is one). Only exact equivalents are used: each SMBus command
/// below puts the very same bytes on the wire as the I2C transfer it replaces, so a driver
/// cannot tell the difference. Other shapes are refused with a message.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item>write of 0 bytes: SMBus quick (write)</item>
/// <item>read of 0 bytes: SMBus quick (read)</item>
/// <item>write of 1 byte: send byte</item>
/// <item>write of 2 bytes (register, value): write byte data</item>
/// <item>write of 3 bytes (register, low, high): write word data, else I2C block write</item>
/// <item>write of 4..33 bytes (register, data): I2C block write</item>
/// <item>read of 1 byte: receive byte</item>
/// <item>write 1 byte, read 1 byte: read byte data, else I2C block read</item>
/// <item>write 1 byte, read 2 bytes: read word data (low byte first), else I2C block read</item>
/// <item>write 1 byte, read 3..32 bytes: I2C block read</item>
/// </list>
/// The 1- and 2-byte forms fall back to the I2C block commands when the adapter lacks them.
/// </remarks>
internal readonly record struct SmbusPlan(byte ReadWrite, uint Size, string CommandName)
{
    /// <summary>Chooses the SMBus command for <paramref name="messages"/> given the adapter's
    /// <paramref name="functionality"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryCreate(ReadOnlySpan<I2cMessage> messages, uint functionality, out SmbusPlan plan, out string? error)
    {
        plan = default;
        error = null;
        if (messages.Length == 1)
        {
            var only = messages[0];
            int length = only.Buffer.Length;
            if (!only.IsRead)
            {
                return length switch
                {
                    0 => Need(functionality, I2C_FUNC_SMBUS_QUICK, new(I2C_SMBUS_WRITE, I2C_SMBUS_QUICK, "quick write"), out plan, out error),
                    1 => Need(functionality, I2C_FUNC_SMBUS_WRITE_BYTE, new(I2C_SMBUS_WRITE, I2C_SMBUS_BYTE, "send byte"), out plan, out error),
                    2 => Prefer(functionality, I2C_FUNC_SMBUS_WRITE_BYTE_DATA, new(I2C_SMBUS_WRITE, I2C_SMBUS_BYTE_DATA, "write byte data"),
                        I2C_FUNC_SMBUS_WRITE_I2C_BLOCK, new(I2C_SMBUS_WRITE, I2C_SMBUS_I2C_BLOCK_DATA, "I2C block write"), out plan, out error),
                    3 => Prefer(functionality, I2C_FUNC_SMBUS_WRITE_WORD_DATA, new(I2C_SMBUS_WRITE, I2C_SMBUS_WORD_DATA, "write word data"),
                        I2C_FUNC_SMBUS_WRITE_I2C_BLOCK, new(I2C_SMBUS_WRITE, I2C_SMBUS_I2C_BLOCK_DATA, "I2C block write"), out plan, out error),
                    <= I2C_SMBUS_BLOCK_MAX + 1 => Need(functionality, I2C_FUNC_SMBUS_WRITE_I2C_BLOCK, new(I2C_SMBUS_WRITE, I2C_SMBUS_I2C_BLOCK_DATA, "I2C block write"), out plan, out error),
                    _ => Refuse($"a write of {length} bytes is longer than an SMBus block (a register byte and {I2C_SMBUS_BLOCK_MAX} data bytes)", out error),
                };
            }
            return length switch
            {
                0 => Need(functionality, I2C_FUNC_SMBUS_QUICK, new(I2C_SMBUS_READ, I2C_SMBUS_QUICK, "quick read"), out plan, out error),
                1 => Need(functionality, I2C_FUNC_SMBUS_READ_BYTE, new(I2C_SMBUS_READ, I2C_SMBUS_BYTE, "receive byte"), out plan, out error),
                _ => Refuse($"a read of {length} bytes without a register byte written first has no SMBus equivalent", out error),
            };
        }

        if (messages.Length == 2 && !messages[0].IsRead && messages[1].IsRead && messages[0].Buffer.Length == 1)
        {
            int length = messages[1].Buffer.Length;
            return length switch
            {
                1 => Prefer(functionality, I2C_FUNC_SMBUS_READ_BYTE_DATA, new(I2C_SMBUS_READ, I2C_SMBUS_BYTE_DATA, "read byte data"),
                    I2C_FUNC_SMBUS_READ_I2C_BLOCK, new(I2C_SMBUS_READ, I2C_SMBUS_I2C_BLOCK_DATA, "I2C block read"), out plan, out error),
                2 => Prefer(functionality, I2C_FUNC_SMBUS_READ_WORD_DATA, new(I2C_SMBUS_READ, I2C_SMBUS_WORD_DATA, "read word data"),
                    I2C_FUNC_SMBUS_READ_I2C_BLOCK, new(I2C_SMBUS_READ, I2C_SMBUS_I2C_BLOCK_DATA, "I2C block read"), out plan, out error),
                >= 3 and <= I2C_SMBUS_BLOCK_MAX => Need(functionality, I2C_FUNC_SMBUS_READ_I2C_BLOCK, new(I2C_SMBUS_READ, I2C_SMBUS_I2C_BLOCK_DATA, "I2C block read"), out plan, out error),
                0 => Refuse("a register write followed by a read of 0 bytes has no SMBus equivalent", out error),
                _ => Refuse($"a read of {length} bytes is longer than an SMBus block ({I2C_SMBUS_BLOCK_MAX} bytes)", out error),
            };
        }

        return Refuse($"a transfer of {Describe(messages)} has no SMBus equivalent", out error);
    }

    private static bool Need(uint functionality, uint required, SmbusPlan candidate, out SmbusPlan plan, out string? error)
    {
        if ((functionality & required) == required)
        {
            plan = candidate;
            error = null;
            return true;
        }
        plan = default;
        error = $"the transfer needs SMBus {candidate.CommandName}, which this adapter does not offer";
        return false;
    }

    private static bool Prefer(uint functionality, uint first, SmbusPlan firstPlan, uint second, SmbusPlan secondPlan, out SmbusPlan plan, out string? error) =>
        (functionality & first) == first
            ? Need(functionality, first, firstPlan, out plan, out error)
            : Need(functionality, second, secondPlan, out plan, out error)
              || Fail($"the transfer needs SMBus {firstPlan.CommandName} or {secondPlan.CommandName}, which this adapter does not offer", out plan, out error);

    private static bool Fail(string message, out SmbusPlan plan, out string? error)
    {
        plan = default;
        error = message;
        return false;
    }

    private static bool Refuse(string why, out string? error)
    {
        error = why + ". This adapter does SMBus only; the SMBus fallback maps a write of 0 to 33 bytes, "
            + "a read of 0 or 1 byte, and a 1-byte register write followed by a read of 1 to 32 bytes";
        return false;
    }

    private static string Describe(ReadOnlySpan<I2cMessage> messages)
    {
        var parts = new List<string>(messages.Length);
        foreach (var m in messages) parts.Add($"{(m.IsRead ? "read" : "write")} {m.Buffer.Length}");
        return messages.Length == 0 ? "no messages" : $"{messages.Length} messages ({string.Join(", ", parts)})";
    }
}
