namespace IronWasm.Wasi.Tests;

/// <summary>A read-only preopen refuses every change, with ENOTCAPABLE, and passes no write right on.</summary>
public class RightsTests
{
    private const int Fd = TempSandbox.Fd;
    private const long FdRead = 1L << 1, FdWrite = 1L << 6;

    [Fact]
    public void ReadOnlyPreopenRefusesCreateTruncateAndWriteRights()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        using var guest = dirs.Guest(DirectoryRights.Read);
        Assert.Equal(Errno.Notcapable, guest.Open(Fd, "new.txt", 1, rights: FdRead));
        Assert.Equal(Errno.Notcapable, guest.Open(Fd, "a.txt", 8, rights: FdRead));
        Assert.Equal(Errno.Notcapable, guest.Open(Fd, "a.txt", 0, rights: FdRead | FdWrite));
        Assert.False(File.Exists(dirs.InSandbox("new.txt")));
        Assert.Equal("a", File.ReadAllText(dirs.InSandbox("a.txt")));
    }

    [Fact]
    public void ReadOnlyPreopenStillReads()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "abc");
        using var guest = dirs.Guest(DirectoryRights.Read);
        Assert.Equal(Errno.Success, guest.Open(Fd, "a.txt", 0));
        int fd = guest.ReadI32(WasiGuest.Result);
        guest.Memory.WriteInt32(100, WasiGuest.Buffer);
        guest.Memory.WriteInt32(104, 10);
        Assert.Equal(Errno.Success, guest.Call("fd_read", fd, 100, 1, WasiGuest.Result2));
        Assert.Equal("abc", guest.ReadString(WasiGuest.Buffer, guest.ReadI32(WasiGuest.Result2)));
        // What it was given to inherit has no write right, so the file cannot be written either.
        Assert.Equal(Errno.Notcapable, guest.Call("fd_write", fd, 100, 1, WasiGuest.Result2));
        Assert.Equal(Errno.Success, guest.Call("fd_readdir", Fd, WasiGuest.Buffer, 100, 0L, WasiGuest.Result));
    }

    [Fact]
    public void ReadOnlyPreopenRefusesEveryChangeByPath()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        Directory.CreateDirectory(dirs.InSandbox("d"));
        using var guest = dirs.Guest(DirectoryRights.Read);
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_create_directory", Fd, "new"));
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_remove_directory", Fd, "d"));
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_unlink_file", Fd, "a.txt"));
        int a = guest.Put(WasiGuest.Strings, "a.txt");
        int b = guest.Put(WasiGuest.Strings2, "b.txt");
        Assert.Equal(Errno.Notcapable, guest.Call("path_rename", Fd, WasiGuest.Strings, a, Fd, WasiGuest.Strings2, b));
        Assert.Equal(Errno.Notcapable, guest.Call("path_link", Fd, 0, WasiGuest.Strings, a, Fd, WasiGuest.Strings2, b));
        Assert.Equal(Errno.Notcapable, guest.Call("path_symlink", WasiGuest.Strings, a, Fd, WasiGuest.Strings2, b));
        Assert.Equal(Errno.Notcapable, guest.Call("path_filestat_set_times", Fd, 0, WasiGuest.Strings, a, 0L, 0L, 2));
        Assert.True(File.Exists(dirs.InSandbox("a.txt")));
        Assert.True(Directory.Exists(dirs.InSandbox("d")));
        Assert.False(Path.Exists(dirs.InSandbox("b.txt")));
        Assert.False(Path.Exists(dirs.InSandbox("new")));
    }

    [Fact]
    public void SubdirectoryOfAReadOnlyPreopenIsReadOnlyToo()
    {
        using var dirs = new TempSandbox();
        Directory.CreateDirectory(dirs.InSandbox("d"));
        using var guest = dirs.Guest(DirectoryRights.Read);
        Assert.Equal(Errno.Success, guest.Open(Fd, "d", 2));
        int sub = guest.ReadI32(WasiGuest.Result);
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_create_directory", sub, "new"));
        Assert.Equal(Errno.Notcapable, guest.Open(sub, "new.txt", 1, rights: FdRead));
        Assert.False(Path.Exists(dirs.InSandbox("d/new")));
    }

    [Fact]
    public void RightsBeyondTheInheritableSetAreNotcapable()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Open(Fd, "a.txt", 0, rights: 1L << 29)); // sock_accept
        Assert.Equal(Errno.Notcapable, guest.Open(Fd, "a.txt", 0, rights: FdRead, inheriting: 1L << 29));
    }

    [Fact]
    public void DirectoryWithoutPathOpenRightCannotOpen()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        using var guest = dirs.Guest();
        var (rights, inheriting) = guest.Rights(Fd);
        Assert.Equal(Errno.Success, guest.Call("fd_fdstat_set_rights", Fd, rights & ~(1L << 13), inheriting));
        Assert.Equal(Errno.Notcapable, guest.Open(Fd, "a.txt", 0, rights: FdRead));
    }

    [Fact]
    public void PreopenRightsMatchTheGrant()
    {
        using var dirs = new TempSandbox();
        using var readOnly = dirs.Guest(DirectoryRights.Read);
        using var readWrite = dirs.Guest();
        Assert.Equal(0, readOnly.Rights(Fd).Inheriting & FdWrite);
        Assert.NotEqual(0, readWrite.Rights(Fd).Inheriting & FdWrite);
        Assert.NotEqual(0, readWrite.Rights(Fd).Base & (1L << 10)); // path_create_file
        Assert.Equal(0, readOnly.Rights(Fd).Base & (1L << 10));
    }

    [Fact]
    public void PreopenWithoutReadIsRejectedByTheConfiguration()
    {
        Assert.Throws<ArgumentException>(() => new WasiConfiguration().WithPreopenedDirectory("/tmp", "x", DirectoryRights.Write));
    }
}
