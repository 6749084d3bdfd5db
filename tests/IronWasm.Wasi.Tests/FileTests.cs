using System.Text;

namespace IronWasm.Wasi.Tests;

public class FileTests
{
    private const int Iov = WasiGuest.Buffer - 64;

    /// <summary>Writes <paramref name="text"/> through one iovec to <paramref name="fd"/>.</summary>
    private static Errno Write(WasiGuest guest, int fd, string text, string function = "fd_write", long offset = -1)
    {
        int length = guest.Put(WasiGuest.Buffer, text);
        guest.Memory.WriteInt32(Iov, WasiGuest.Buffer);
        guest.Memory.WriteInt32(Iov + 4, length);
        return offset < 0
            ? guest.Call(function, fd, Iov, 1, WasiGuest.Result2)
            : guest.Call(function, fd, Iov, 1, offset, WasiGuest.Result2);
    }

    private static (Errno, string) Read(WasiGuest guest, int fd, int length, string function = "fd_read", long offset = -1)
    {
        guest.Memory.WriteInt32(Iov, WasiGuest.Buffer);
        guest.Memory.WriteInt32(Iov + 4, length);
        var errno = offset < 0
            ? guest.Call(function, fd, Iov, 1, WasiGuest.Result2)
            : guest.Call(function, fd, Iov, 1, offset, WasiGuest.Result2);
        return (errno, errno == Errno.Success ? guest.ReadString(WasiGuest.Buffer, guest.ReadI32(WasiGuest.Result2)) : "");
    }

    private static int OpenNew(WasiGuest guest, string path, int oflags = 1)
    {
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, path, oflags));
        return guest.ReadI32(WasiGuest.Result);
    }

    [Fact]
    public void CreatedFileCanBeWrittenAndReadBack()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "new.txt");
        Assert.Equal(Errno.Success, Write(guest, fd, "hello"));
        Assert.Equal(5, guest.ReadI32(WasiGuest.Result2));
        Assert.Equal(Errno.Success, guest.Call("fd_seek", fd, 0L, 0, WasiGuest.Result2));
        Assert.Equal((Errno.Success, "hello"), Read(guest, fd, 100));
        Assert.Equal("hello", File.ReadAllText(dirs.InSandbox("new.txt")));
    }

    [Fact]
    public void NewDescriptorIsTheLowestFree()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(4, OpenNew(guest, "a"));
        Assert.Equal(Errno.Success, guest.Call("fd_close", 0));
        Assert.Equal(0, OpenNew(guest, "b"));
    }

    [Fact]
    public void OpenMissingFileWithoutCreateIsNoent()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Noent, guest.Open(TempSandbox.Fd, "missing.txt", 0));
    }

    [Fact]
    public void ExclusiveCreateOfExistingFileIsExist()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "x");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Exist, guest.Open(TempSandbox.Fd, "a.txt", 1 | 4));
    }

    [Fact]
    public void OpenFileWithDirectoryFlagIsNotdir()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "x");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notdir, guest.Open(TempSandbox.Fd, "a.txt", 2));
    }

    [Fact]
    public void CreateWithDirectoryFlagIsInval()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Inval, guest.Open(TempSandbox.Fd, "d", 1 | 2));
    }

    [Fact]
    public void OpenWithUnknownOflagsIsInval()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Inval, guest.Open(TempSandbox.Fd, "a", 0x10));
    }

    [Fact]
    public void TruncateEmptiesTheFile()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "contents");
        using var guest = dirs.Guest();
        OpenNew(guest, "a.txt", 8);
        Assert.Equal("", File.ReadAllText(dirs.InSandbox("a.txt")));
    }

    [Fact]
    public void AppendFlagWritesAtTheEnd()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "abc");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "a.txt", 0, fdflags: 1));
        int fd = guest.ReadI32(WasiGuest.Result);
        Assert.Equal(Errno.Success, Write(guest, fd, "def"));
        Assert.Equal("abcdef", File.ReadAllText(dirs.InSandbox("a.txt")));
        Assert.Equal(Errno.Success, guest.Call("fd_fdstat_get", fd, 512));
        Assert.Equal(1, guest.Memory.ReadInt16(514));
    }

    [Fact]
    public void ReadWritePositionalDoesNotMoveTheOffset()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "0123456789");
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt", 0);
        Assert.Equal((Errno.Success, "345"), Read(guest, fd, 3, "fd_pread", 3));
        Assert.Equal(Errno.Success, Write(guest, fd, "ab", "fd_pwrite", 8));
        Assert.Equal(Errno.Success, guest.Call("fd_tell", fd, WasiGuest.Result2));
        Assert.Equal(0, guest.ReadI64(WasiGuest.Result2));
        Assert.Equal("01234567ab", File.ReadAllText(dirs.InSandbox("a.txt")));
    }

    [Fact]
    public void ScatterReadFillsSeveralBuffers()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "abcdef");
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt", 0);
        guest.Memory.WriteInt32(Iov, WasiGuest.Buffer);
        guest.Memory.WriteInt32(Iov + 4, 2);
        guest.Memory.WriteInt32(Iov + 8, WasiGuest.Buffer + 100);
        guest.Memory.WriteInt32(Iov + 12, 10);
        Assert.Equal(Errno.Success, guest.Call("fd_read", fd, Iov, 2, WasiGuest.Result2));
        Assert.Equal(6, guest.ReadI32(WasiGuest.Result2));
        Assert.Equal("ab", guest.ReadString(WasiGuest.Buffer, 2));
        Assert.Equal("cdef", guest.ReadString(WasiGuest.Buffer + 100, 4));
    }

    [Fact]
    public void SeekFromEndAndCurrent()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "0123456789");
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt", 0);
        Assert.Equal(Errno.Success, guest.Call("fd_seek", fd, -3L, 2, WasiGuest.Result2));
        Assert.Equal(7, guest.ReadI64(WasiGuest.Result2));
        Assert.Equal(Errno.Success, guest.Call("fd_seek", fd, 1L, 1, WasiGuest.Result2));
        Assert.Equal(8, guest.ReadI64(WasiGuest.Result2));
        Assert.Equal((Errno.Success, "89"), Read(guest, fd, 10));
    }

    [Fact]
    public void SeekBeforeStartIsInval()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "x");
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt", 0);
        Assert.Equal(Errno.Inval, guest.Call("fd_seek", fd, -1L, 0, WasiGuest.Result2));
        Assert.Equal(Errno.Inval, guest.Call("fd_seek", fd, 0L, 3, WasiGuest.Result2));
    }

    [Fact]
    public void FilestatReportsTypeSizeAndLinks()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "12345");
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt", 0);
        Assert.Equal(Errno.Success, guest.Call("fd_filestat_get", fd, 256));
        Assert.Equal(4, guest.Memory.ReadByte(256 + 16)); // regular_file
        Assert.Equal(1, guest.ReadI64(256 + 24));
        Assert.Equal(5, guest.ReadI64(256 + 32));
        Assert.NotEqual(0, guest.ReadI64(256 + 8)); // inode
        long mtime = guest.ReadI64(256 + 48);
        var expected = new DateTimeOffset(File.GetLastWriteTimeUtc(dirs.InSandbox("a.txt"))).ToUnixTimeMilliseconds();
        Assert.Equal(expected, mtime / 1_000_000);
    }

    [Fact]
    public void SetSizeExtendsAndTruncates()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "12345");
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt", 0);
        Assert.Equal(Errno.Success, guest.Call("fd_filestat_set_size", fd, 2L));
        Assert.Equal("12", File.ReadAllText(dirs.InSandbox("a.txt")));
        Assert.Equal(Errno.Success, guest.Call("fd_filestat_set_size", fd, 4L));
        Assert.Equal(4, new FileInfo(dirs.InSandbox("a.txt")).Length);
        Assert.Equal(Errno.Inval, guest.Call("fd_filestat_set_size", fd, -1L));
    }

    [Fact]
    public void SetTimesStoresNanoseconds()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "x");
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt", 0);
        long mtime = 1_600_000_000_123_456_789;
        Assert.Equal(Errno.Success, guest.Call("fd_filestat_set_times", fd, 0L, mtime, 4));
        Assert.Equal(Errno.Success, guest.Call("fd_filestat_get", fd, 256));
        Assert.Equal(mtime, guest.ReadI64(256 + 48));
    }

    [Fact]
    public void SetTimesWithValueAndNowTogetherIsInval()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "x");
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt", 0);
        Assert.Equal(Errno.Inval, guest.Call("fd_filestat_set_times", fd, 0L, 0L, 1 | 2));
        Assert.Equal(Errno.Inval, guest.Call("fd_filestat_set_times", fd, 0L, 0L, 4 | 8));
    }

    [Fact]
    public void AllocateGrowsTheFile()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.bin");
        Assert.Equal(Errno.Success, guest.Call("fd_allocate", fd, 0L, 1000L));
        Assert.Equal(1000, new FileInfo(dirs.InSandbox("a.bin")).Length);
        Assert.Equal(Errno.Inval, guest.Call("fd_allocate", fd, 0L, 0L));
    }

    [Fact]
    public void AdviseAcceptsKnownAdviceOnly()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "x");
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt", 0);
        for (int advice = 0; advice <= 5; advice++) Assert.Equal(Errno.Success, guest.Call("fd_advise", fd, 0L, 1L, advice));
        Assert.Equal(Errno.Inval, guest.Call("fd_advise", fd, 0L, 1L, 6));
    }

    [Fact]
    public void SyncAndDatasyncSucceedOnFiles()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt");
        Assert.Equal(Errno.Success, guest.Call("fd_sync", fd));
        Assert.Equal(Errno.Success, guest.Call("fd_datasync", fd));
    }

    [Fact]
    public void ClosedDescriptorIsBadf()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt");
        Assert.Equal(Errno.Success, guest.Call("fd_close", fd));
        Assert.Equal(Errno.Badf, guest.Call("fd_close", fd));
        Assert.Equal(Errno.Badf, Write(guest, fd, "x"));
        Assert.Equal(Errno.Badf, guest.Call("fd_fdstat_get", fd, 512));
        Assert.Equal(Errno.Badf, guest.Call("fd_close", -1));
    }

    [Fact]
    public void RenumberMovesTheDescriptor()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        dirs.WriteFile("b.txt", "b");
        using var guest = dirs.Guest();
        int a = OpenNew(guest, "a.txt", 0);
        int b = OpenNew(guest, "b.txt", 0);
        Assert.Equal(Errno.Success, guest.Call("fd_renumber", a, b));
        Assert.Equal((Errno.Success, "a"), Read(guest, b, 10));
        Assert.Equal(Errno.Badf, guest.Call("fd_fdstat_get", a, 512));
        Assert.Equal(Errno.Badf, guest.Call("fd_renumber", a, b));
        Assert.Equal(Errno.Badf, guest.Call("fd_renumber", b, 99));
    }

    [Fact]
    public void RightsCanBeDroppedButNotRegained()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt");
        var (rights, _) = guest.Rights(fd);
        long withoutWrite = rights & ~(1L << 6);
        Assert.Equal(Errno.Success, guest.Call("fd_fdstat_set_rights", fd, withoutWrite, 0L));
        Assert.Equal(Errno.Notcapable, Write(guest, fd, "x"));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_fdstat_set_rights", fd, rights, 0L));
    }

    [Fact]
    public void OpeningWithoutReadRightRefusesReads()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "x");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "a.txt", 0, rights: 1L << 6)); // fd_write only
        int fd = guest.ReadI32(WasiGuest.Result);
        Assert.Equal(Errno.Notcapable, Read(guest, fd, 1).Item1);
        Assert.Equal(Errno.Notcapable, guest.Call("fd_seek", fd, 0L, 0, WasiGuest.Result2));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_tell", fd, WasiGuest.Result2));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_filestat_get", fd, 256));
    }

    [Fact]
    public void FdstatSetFlagsTogglesAppendAndRefusesSyncChanges()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "abc");
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "a.txt", 0);
        Assert.Equal(Errno.Success, guest.Call("fd_fdstat_set_flags", fd, 1));
        Assert.Equal(Errno.Success, Write(guest, fd, "d"));
        Assert.Equal("abcd", File.ReadAllText(dirs.InSandbox("a.txt")));
        Assert.Equal(Errno.Notsup, guest.Call("fd_fdstat_set_flags", fd, 16));
        Assert.Equal(Errno.Inval, guest.Call("fd_fdstat_set_flags", fd, 64));
    }

    [Fact]
    public void ReadingADirectoryDescriptorIsRefused()
    {
        using var dirs = new TempSandbox();
        Directory.CreateDirectory(dirs.InSandbox("d"));
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "d", 2));
        int fd = guest.ReadI32(WasiGuest.Result);
        Assert.Equal(Errno.Notcapable, Read(guest, fd, 1).Item1);
        Assert.Equal(Errno.Success, guest.Call("fd_fdstat_get", fd, 512));
        Assert.Equal(3, guest.Memory.ReadByte(512));
    }

    [Fact]
    public void OpeningADirectoryForWritingIsIsdir()
    {
        using var dirs = new TempSandbox();
        Directory.CreateDirectory(dirs.InSandbox("d"));
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Isdir, guest.Open(TempSandbox.Fd, "d", 0, rights: (1L << 6) | (1L << 1)));
    }

    [Fact]
    public void LargeWritesAreComplete()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        int fd = OpenNew(guest, "big.bin");
        guest.Memory.Grow(16);
        guest.Memory.WriteInt32(Iov, 65536);
        guest.Memory.WriteInt32(Iov + 4, 16 * 65536);
        Assert.Equal(Errno.Success, guest.Call("fd_write", fd, Iov, 1, WasiGuest.Result2));
        Assert.Equal(16 * 65536, guest.ReadI32(WasiGuest.Result2));
        Assert.Equal(16 * 65536, new FileInfo(dirs.InSandbox("big.bin")).Length);
    }
}
