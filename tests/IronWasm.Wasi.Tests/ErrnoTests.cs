namespace IronWasm.Wasi.Tests;

/// <summary>The argument checks and rights checks not covered by the per-area tests.</summary>
public class ErrnoTests
{
    private const int Fd = TempSandbox.Fd;

    private static int OpenFile(WasiGuest guest, string name, string contents, TempSandbox dirs)
    {
        dirs.WriteFile(name, contents);
        Assert.Equal(Errno.Success, guest.Open(Fd, name, 0));
        return guest.ReadI32(WasiGuest.Result);
    }

    [Fact]
    public void NegativeOffsetsAreInval()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        int fd = OpenFile(guest, "a.txt", "abc", dirs);
        Assert.Equal(Errno.Inval, guest.Call("fd_pread", fd, 100, 0, -1L, 200));
        Assert.Equal(Errno.Inval, guest.Call("fd_pwrite", fd, 100, 0, -1L, 200));
        Assert.Equal(Errno.Inval, guest.Call("fd_advise", fd, -1L, 1L, 0));
        Assert.Equal(Errno.Inval, guest.Call("fd_allocate", fd, -1L, 1L));
    }

    [Fact]
    public void FileRightsDoNotApplyToDirectories()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Call("fd_filestat_set_size", Fd, 0L));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_allocate", Fd, 0L, 1L));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_seek", Fd, 0L, 0, 200));
        Assert.Equal(Errno.Success, guest.Call("fd_filestat_get", Fd, 256));
        Assert.Equal(3, guest.Memory.ReadByte(256 + 16));
        Assert.Equal(Errno.Success, guest.Call("fd_sync", Fd));
    }

    [Fact]
    public void StandardStreamsRefuseFileOperations()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Notcapable, guest.Call("fd_advise", 1, 0L, 1L, 0));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_sync", 1));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_datasync", 1));
        Assert.Equal(Errno.Notcapable, guest.Call("fd_filestat_set_times", 1, 0L, 0L, 2));
        Assert.Equal(Errno.Notdir, guest.Call("fd_readdir", 1, 100, 100, 0L, 200));
        Assert.Equal(Errno.Notsup, guest.Call("fd_fdstat_set_flags", 1, 4));
        Assert.Equal(Errno.Success, guest.Call("fd_fdstat_set_flags", 1, 0));
    }

    [Fact]
    public void UnknownFlagBitsAreInval()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        int length = guest.Put(WasiGuest.Strings, "x");
        Assert.Equal(Errno.Inval, guest.Call("path_open", Fd, 2, WasiGuest.Strings, length, 1, 0L, 0L, 0, 0));
        Assert.Equal(Errno.Inval, guest.Call("path_open", Fd, 0, WasiGuest.Strings, length, 1, 0L, 0L, 0x20, 0));
        Assert.Equal(Errno.Inval, guest.Call("path_link", Fd, 2, WasiGuest.Strings, length, Fd, WasiGuest.Strings, length));
    }

    [Fact]
    public void SynchronousOpenNeedsTheSyncRights()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Open(Fd, "a", 1, rights: 1L << 6, fdflags: 2));  // dsync without fd_datasync
        Assert.Equal(Errno.Notcapable, guest.Open(Fd, "a", 1, rights: 1L << 6, fdflags: 16)); // sync without fd_sync
        Assert.Equal(Errno.Success, guest.Open(Fd, "a", 1, rights: (1L << 6) | (1L << 4), fdflags: 16));
    }

    [Fact]
    public void ReadlinkOfAMissingPathIsNoent()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        int length = guest.Put(WasiGuest.Strings, "missing");
        Assert.Equal(Errno.Noent, guest.Call("path_readlink", Fd, WasiGuest.Strings, length, WasiGuest.Buffer, 10, 0));
    }

    [Fact]
    public void RenumberOntoItselfSucceeds()
    {
        using var guest = new WasiGuest();
        Assert.Equal(Errno.Success, guest.Call("fd_renumber", 1, 1));
        Assert.Equal(Errno.Success, guest.Call("fd_fdstat_get", 1, 300));
    }

    [Fact]
    public void DescriptorTableHasALimit()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        using var guest = dirs.Guest();
        guest.Context.MaxDescriptors = 16; // the default, 4096, would exhaust the test host's descriptors
        Errno errno = Errno.Success;
        for (int i = 0; i < 17 && errno == Errno.Success; i++) errno = guest.Open(Fd, "a.txt", 0);
        Assert.Equal(Errno.Mfile, errno);
    }

    [Fact]
    public void CallsAfterTheContextIsDisposedAreBadf()
    {
        var guest = new WasiGuest();
        guest.Context.Dispose();
        Assert.Equal(Errno.Badf, guest.Call("fd_fdstat_get", 1, 300));
        guest.Dispose();
    }
}
