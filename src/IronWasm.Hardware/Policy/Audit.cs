using System.Buffers;
using System.Text;
using System.Text.Json;

namespace IronWasm.Hardware.Policy;

public enum AuditEvent : byte
{
    /// <summary>A guest asked for something the policy does not grant.</summary>
    Denied,
    /// <summary>A policy replacement withdrew what a live lease was opened for.</summary>
    Revoked,
    /// <summary>The engine switched to a new policy.</summary>
    PolicyReplaced,
    /// <summary>A reload found an invalid policy file; the previous policy stays in force.</summary>
    PolicyReloadFailed,
}

/// <summary>One audit record. <see cref="Guest"/>, <see cref="Interface"/>, <see cref="Resource"/>
/// and <see cref="Operation"/> are null for the policy-level events.</summary>
/// <param name="Time">When it happened (UTC).</param>
/// <param name="Event">What kind of record this is.</param>
/// <param name="Guest">The guest (component name) that asked.</param>
/// <param name="Interface">The hardware interface asked for.</param>
/// <param name="Resource">What was asked for: "sim-i2c-1/0x3c", "flash0" or "led".</param>
/// <param name="Operation">"read", "write", "read-write", "open", "transaction", "in/pull-up", "revoke", ...</param>
/// <param name="Reason">The verdict as text ("address-not-granted"), or what happened for policy events.</param>
/// <param name="Generation">The policy generation in force when the record was written.</param>
public sealed record AuditRecord(
    DateTimeOffset Time,
    AuditEvent Event,
    string? Guest,
    PolicyInterface? Interface,
    string? Resource,
    string? Operation,
    string Reason,
    long Generation)
{
    /// <summary>The record as one line of JSON (no newline), as the JSON-lines sink writes it.</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("event", Event switch
            {
                AuditEvent.Denied => "denied",
                AuditEvent.Revoked => "revoked",
                AuditEvent.PolicyReplaced => "policy-replaced",
                _ => "policy-reload-failed",
            });
            if (Guest is not null) json.WriteString("guest", Guest);
            if (Interface is { } kind) json.WriteString("interface", kind.ToText());
            if (Resource is not null) json.WriteString("resource", Resource);
            if (Operation is not null) json.WriteString("operation", Operation);
            json.WriteString("reason", Reason);
            json.WriteNumber("generation", Generation);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

/// <summary>Where audit records go. The engine calls <see cref="Write"/> from one thread at a time.</summary>
public interface IAuditSink
{
    void Write(AuditRecord record);
}

/// <summary>Writes each audit record as one JSON line (the structured log) and flushes it, so a
/// crash loses nothing that was recorded.</summary>
public sealed class JsonLinesAuditSink : IAuditSink, IDisposable
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;

    public JsonLinesAuditSink(TextWriter writer, bool ownsWriter = false)
    {
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _ownsWriter = ownsWriter;
    }

    /// <summary>Appends to the file at <paramref name="path"/>, creating it if needed.</summary>
    public static JsonLinesAuditSink AppendToFile(string path) =>
        new(new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)), ownsWriter: true);

    public void Write(AuditRecord record)
    {
        _writer.Write(record.ToJson());
        _writer.Write('\n');
        _writer.Flush();
    }

    public void Dispose()
    {
        if (_ownsWriter) _writer.Dispose();
    }
}

/// <summary>The most recent audit records, oldest first, for `ironwasm` to show.</summary>
internal sealed class AuditRing
{
    private readonly AuditRecord[] _records;
    private int _next;
    private int _count;

    public AuditRing(int capacity) => _records = new AuditRecord[Math.Max(1, capacity)];

    public void Add(AuditRecord record)
    {
        _records[_next] = record;
        _next = (_next + 1) % _records.Length;
        if (_count < _records.Length) _count++;
    }

    public AuditRecord[] Latest(int max)
    {
        int n = Math.Min(Math.Max(0, max), _count);
        var result = new AuditRecord[n];
        int start = (_next - n + _records.Length) % _records.Length;
        for (int i = 0; i < n; i++) result[i] = _records[(start + i) % _records.Length];
        return result;
    }
}
