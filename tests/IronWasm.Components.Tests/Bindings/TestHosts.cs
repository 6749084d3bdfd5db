using System.Text;
using IronWasm.Components.Bindings;
using IronWasm.Components.Tests.Bindings.Generated;

namespace IronWasm.Components.Tests.Bindings;

/// <summary>The host side of `values`: returns what it gets and remembers it.</summary>
internal sealed class ValuesHost : Values.IHost
{
    /// <summary>The C# values the host received, in call order.</summary>
    public List<object?> Received { get; } = new();

    public int NothingCalls { get; private set; }

    /// <summary>When set, the echoes return this instead (to return values that do not fit their type).</summary>
    public Func<object?, object?>? Replace { get; set; }

    private T Echo<T>(T value)
    {
        Received.Add(value);
        return Replace is null ? value : (T)Replace(value)!;
    }

    public bool EchoBool(bool x) => Echo(x);
    public sbyte EchoS8(sbyte x) => Echo(x);
    public byte EchoU8(byte x) => Echo(x);
    public short EchoS16(short x) => Echo(x);
    public ushort EchoU16(ushort x) => Echo(x);
    public int EchoS32(int x) => Echo(x);
    public uint EchoU32(uint x) => Echo(x);
    public long EchoS64(long x) => Echo(x);
    public ulong EchoU64(ulong x) => Echo(x);
    public float EchoF32(float x) => Echo(x);
    public double EchoF64(double x) => Echo(x);
    public Rune EchoChar(Rune x) => Echo(x);
    public string EchoString(string x) => Echo(x);
    public byte[] EchoBytes(ReadOnlySpan<byte> x) => Echo(x.ToArray());
    public uint[] EchoU32s(ReadOnlySpan<uint> x) => Echo(x.ToArray());
    public string[] EchoStrings(string[] x) => Echo(x);
    public ushort[] EchoFixed(ushort[] x) => Echo(x);
    public Option<string> EchoOption(Option<string> x) => Echo(x);
    public Result<uint, string> EchoResult(Result<uint, string> x) => Echo(x);
    public Result<Unit, Unit> EchoBareResult(Result<Unit, Unit> x) => Echo(x);
    public Result<Unit, Shapes.Color> EchoErrorOnly(Result<Unit, Shapes.Color> x) => Echo(x);
    public (byte, string, double) EchoTuple((byte, string, double) x) => Echo(x);
    public ValueTuple<ushort> EchoSingle(ValueTuple<ushort> x) => Echo(x);
    public Shapes.Point EchoPoint(Shapes.Point x) => Echo(x);
    public Values.Mixed EchoMixed(Values.Mixed x) => Echo(x);
    public Shapes.Color EchoColor(Shapes.Color x) => Echo(x);
    public Shapes.Perms EchoPerms(Shapes.Perms x) => Echo(x);
    public Values.Many EchoMany(Values.Many x) => Echo(x);
    public Shapes.Shape EchoShape(Shapes.Shape x) => Echo(x);
    public Values.Wide EchoWide(Values.Wide x) => Echo(x);
    public Shapes.Shape[] EchoShapes(Shapes.Shape[] x) => Echo(x);
    public (string Key, uint Value)[] EchoMap((string Key, uint Value)[] x) => Echo(x);
    public Option<byte[]>[] EchoNested(Option<byte[]>[] x) => Echo(x);

    public uint Sum17(uint a1, uint a2, uint a3, uint a4, uint a5, uint a6, uint a7, uint a8, uint a9,
        uint a10, uint a11, uint a12, uint a13, uint a14, uint a15, uint a16, uint a17)
    {
        uint[] all = [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17];
        Received.Add(all);
        return (uint)all.Sum(x => x);
    }

    public double Mix9(byte a, ushort b, uint c, ulong d, float e, double f, sbyte g, short h, int i)
    {
        Received.Add((a, b, c, d, e, f, g, h, i));
        return a + b + c + (double)d + e + f + g + h + i;
    }

    public (ushort High, ushort Low, string Text) Split(uint x) => ((ushort)(x >> 16), (ushort)x, x.ToString("x"));

    public void Nothing() => NothingCalls++;
}

/// <summary>A host resource object: a counter that knows whether it was disposed.</summary>
internal sealed class Counter(uint start) : Res.ICounter, IDisposable
{
    private uint _value = start;

    public bool Disposed { get; private set; }

    public uint Add(uint n) => _value += n;

    public uint Value() => _value;

    public void Dispose() => Disposed = true;
}

/// <summary>The host side of `res`.</summary>
internal sealed class ResHost : Res.IHost
{
    public List<Counter> Created { get; } = new();
    public List<Res.ICounter> Taken { get; } = new();

    /// <summary>When set, `make` returns this object instead of a new one.</summary>
    public Counter? Next { get; set; }

    private Counter New(uint start)
    {
        var counter = new Counter(start);
        Created.Add(counter);
        return counter;
    }

    public Res.ICounter CreateCounter(uint start) => New(start);

    /// <summary>Adds <paramref name="other"/> (which the host now owns) into <paramref name="into"/>
    /// and hands `into` back as a second owned handle.</summary>
    public Res.ICounter CounterMerge(Res.ICounter into, Res.ICounter other)
    {
        Taken.Add(other);
        into.Add(other.Value());
        return into;
    }

    public Res.ICounter Make(uint start) => Next ?? New(start);

    public uint Peek(Res.ICounter c) => c.Value();

    public uint Take(Res.ICounter c)
    {
        Taken.Add(c);
        return c.Value();
    }

    public Result<Res.ICounter, string> TryMake(uint start) =>
        start == 0 ? Result.Err("zero") : Result.Ok<Res.ICounter>(New(start));
}
