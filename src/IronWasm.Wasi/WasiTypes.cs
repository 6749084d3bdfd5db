namespace IronWasm.Wasi;

// The small enumerations and flag sets of typenames.witx, valued as the guest encodes them.

internal enum FileType : byte
{
    Unknown = 0,
    BlockDevice = 1,
    CharacterDevice = 2,
    Directory = 3,
    RegularFile = 4,
    SocketDgram = 5,
    SocketStream = 6,
    SymbolicLink = 7,
}

[Flags]
internal enum FdFlags : ushort
{
    None = 0,
    Append = 1 << 0,
    Dsync = 1 << 1,
    Nonblock = 1 << 2,
    Rsync = 1 << 3,
    Sync = 1 << 4,
}

[Flags]
internal enum OFlags : ushort
{
    None = 0,
    Creat = 1 << 0,
    Directory = 1 << 1,
    Excl = 1 << 2,
    Trunc = 1 << 3,
}

[Flags]
internal enum LookupFlags : uint
{
    None = 0,
    SymlinkFollow = 1 << 0,
}

[Flags]
internal enum FstFlags : ushort
{
    None = 0,
    Atim = 1 << 0,
    AtimNow = 1 << 1,
    Mtim = 1 << 2,
    MtimNow = 1 << 3,
}

internal enum ClockId : uint
{
    Realtime = 0,
    Monotonic = 1,
    ProcessCputimeId = 2,
    ThreadCputimeId = 3,
}

internal enum Whence : byte
{
    Set = 0,
    Cur = 1,
    End = 2,
}

internal enum EventType : byte
{
    Clock = 0,
    FdRead = 1,
    FdWrite = 2,
}

internal enum Advice : byte
{
    Normal = 0,
    Sequential = 1,
    Random = 2,
    WillNeed = 3,
    DontNeed = 4,
    NoReuse = 5,
}
