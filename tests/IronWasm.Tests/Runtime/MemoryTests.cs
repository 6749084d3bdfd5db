namespace IronWasm.Tests.Runtime;

public class MemoryTests
{
    [Fact]
    public void NewMemoryIsZeroedAndSizedInPages()
    {
        using var store = new Store(new Engine());
        var memory = new Memory(store, 2, 4);
        Assert.Equal(2u, memory.Size);
        Assert.Equal(2 * 65536L, memory.Length);
        Assert.True(memory.GetSpan().ToArray().All(b => b == 0));
    }

    [Fact]
    public void GrowReturnsOldSizeAndZeroesNewPages()
    {
        using var store = new Store(new Engine());
        var memory = new Memory(store, 1);
        memory.GetSpan().Fill(0xAB);
        Assert.Equal(1, memory.Grow(2));
        Assert.Equal(3u, memory.Size);
        Assert.Equal(0xAB, memory.ReadByte(65535));
        Assert.True(memory.GetSpan(65536, 2 * 65536).ToArray().All(b => b == 0));
    }

    [Fact]
    public void GrowBeyondMaximumReturnsMinusOne()
    {
        using var store = new Store(new Engine());
        var memory = new Memory(store, 1, 2);
        Assert.Equal(-1, memory.Grow(2));
        Assert.Equal(1u, memory.Size);
        Assert.Equal(1, memory.Grow(1));
    }

    [Fact]
    public void GrowBeyondFourGibibytesReturnsMinusOne()
    {
        using var store = new Store(new Engine());
        var memory = new Memory(store, 1);
        Assert.Equal(-1, memory.Grow(65536));
    }

    [Fact]
    public void GrowBeyondStoreLimitReturnsMinusOne()
    {
        using var store = new Store(new Engine());
        store.SetLimits(memorySize: 3 * 65536);
        var memory = new Memory(store, 1);
        Assert.Equal(-1, memory.Grow(3));
        Assert.Equal(1, memory.Grow(2));
    }

    [Fact]
    public void CreatingMemoryOverStoreLimitTraps()
    {
        using var store = new Store(new Engine());
        store.SetLimits(memorySize: 65536);
        var trap = Assert.Throws<TrapException>(() => new Memory(store, 2));
        Assert.Equal(TrapCode.ResourceLimitExceeded, trap.Code);
    }

    [Fact]
    public void GrowZeroOfEmptyMemoryReturnsZero()
    {
        using var store = new Store(new Engine());
        var memory = new Memory(store, 0);
        Assert.Equal(0, memory.Grow(0));
        Assert.Equal(0, memory.Grow(1));
        Assert.Equal(1u, memory.Size);
    }

    [Fact]
    public void FillOutOfBoundsTrapsAndWritesNothing()
    {
        using var store = new Store(new Engine());
        var memory = new Memory(store, 1);
        var trap = Assert.Throws<TrapException>(() => memory.Instance.Fill(65530, 7, 10));
        Assert.Equal(TrapCode.MemoryOutOfBounds, trap.Code);
        Assert.Equal(0, memory.ReadByte(65530));
    }

    [Fact]
    public void FillAtEndWithZeroCountSucceeds()
    {
        using var store = new Store(new Engine());
        var memory = new Memory(store, 1);
        memory.Instance.Fill(65536, 7, 0);
        Assert.Throws<TrapException>(() => memory.Instance.Fill(65537, 7, 0));
    }

    [Fact]
    public void InitChecksSegmentAndMemoryBounds()
    {
        using var store = new Store(new Engine());
        var memory = new Memory(store, 1);
        var segment = new byte[] { 1, 2, 3, 4 };
        memory.Instance.Init(segment, 100, 1, 3);
        Assert.Equal(new byte[] { 2, 3, 4 }, memory.GetSpan(100, 3).ToArray());
        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => memory.Instance.Init(segment, 0, 2, 3)).Code);
        Assert.Equal(TrapCode.MemoryOutOfBounds, Assert.Throws<TrapException>(() => memory.Instance.Init(segment, 65534, 0, 3)).Code);
        memory.Instance.Init(segment, 65536, 4, 0);
    }

    [Fact]
    public void HostAccessOutsideMemoryThrows()
    {
        using var store = new Store(new Engine());
        var memory = new Memory(store, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.ReadInt32(65534));
        Assert.Throws<ArgumentOutOfRangeException>(() => memory.GetSpan(-1, 1));
    }

    [Fact]
    public void ReadWriteHelpersAreLittleEndian()
    {
        using var store = new Store(new Engine());
        var memory = new Memory(store, 1);
        memory.WriteInt32(8, 0x01020304);
        Assert.Equal(4, memory.ReadByte(8));
        Assert.Equal(0x01020304, memory.ReadInt32(8));
        memory.WriteInt64(16, -2);
        Assert.Equal(-2L, memory.ReadInt64(16));
        memory.WriteDouble(24, 1.25);
        Assert.Equal(1.25, memory.ReadDouble(24));
        int count = memory.WriteString(40, "héllo");
        Assert.Equal("héllo", memory.ReadString(40, count));
        Assert.Equal("héllo", memory.ReadNullTerminatedString(40));
    }

    [Fact]
    public void DisposingStoreEmptiesItsMemories()
    {
        var store = new Store(new Engine());
        var memory = new Memory(store, 1);
        store.Dispose();
        Assert.Equal(0, memory.Length);
        Assert.Equal(-1, memory.Grow(1));
        Assert.Throws<TrapException>(() => memory.Instance.Fill(0, 1, 1));
    }

    [Fact]
    public void GuestMemoryGrowIsVisibleToHost()
    {
        var instance = TestModules.Instantiate("""
            (module (memory (export "mem") 1 3)
              (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
              (func (export "store") (param i32 i32) local.get 0 local.get 1 i32.store))
            """);
        var memory = instance.GetMemory("mem")!;
        Assert.Equal(1, instance.GetFunction<int, int>("grow")!(1));
        Assert.Equal(2u, memory.Size);
        Assert.Equal(-1, instance.GetFunction<int, int>("grow")!(2));
        instance.GetAction<int, int>("store")!(70000, 1234);
        Assert.Equal(1234, memory.ReadInt32(70000));
    }
}
