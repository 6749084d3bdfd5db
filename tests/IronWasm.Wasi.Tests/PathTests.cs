using System.Text;

namespace IronWasm.Wasi.Tests;

/// <summary>The path_* functions inside the sandbox, and fd_readdir / fd_prestat_*.</summary>
public class PathTests
{
    private const int Fd = TempSandbox.Fd;

    private static Errno TwoPaths(WasiGuest guest, string function, string first, string second)
    {
        int a = guest.Put(WasiGuest.Strings, first);
        int b = guest.Put(WasiGuest.Strings2, second);
        return function switch
        {
            "path_rename" => guest.Call(function, Fd, WasiGuest.Strings, a, Fd, WasiGuest.Strings2, b),
            "path_link" => guest.Call(function, Fd, 0, WasiGuest.Strings, a, Fd, WasiGuest.Strings2, b),
            _ => guest.Call(function, WasiGuest.Strings, a, Fd, WasiGuest.Strings2, b), // path_symlink
        };
    }

    [Fact]
    public void CreateAndRemoveDirectory()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.PathCall("path_create_directory", Fd, "d"));
        Assert.True(Directory.Exists(dirs.InSandbox("d")));
        Assert.Equal(Errno.Exist, guest.PathCall("path_create_directory", Fd, "d"));
        Assert.Equal(Errno.Success, guest.PathCall("path_create_directory", Fd, "d/e/"));
        Assert.Equal(Errno.Notempty, guest.PathCall("path_remove_directory", Fd, "d"));
        Assert.Equal(Errno.Success, guest.PathCall("path_remove_directory", Fd, "d/e"));
        Assert.Equal(Errno.Success, guest.PathCall("path_remove_directory", Fd, "d/"));
        Assert.False(Directory.Exists(dirs.InSandbox("d")));
        Assert.Equal(Errno.Noent, guest.PathCall("path_remove_directory", Fd, "d"));
        Assert.Equal(Errno.Noent, guest.PathCall("path_create_directory", Fd, "missing/x"));
    }

    [Fact]
    public void RemovingThePreopenItselfIsRefused()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Inval, guest.PathCall("path_remove_directory", Fd, "."));
        Assert.True(Directory.Exists(dirs.Sandbox));
    }

    [Fact]
    public void RemoveDirectoryOnAFileIsNotdir()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notdir, guest.PathCall("path_remove_directory", Fd, "a.txt"));
    }

    [Fact]
    public void UnlinkFile()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        Directory.CreateDirectory(dirs.InSandbox("d"));
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notdir, guest.PathCall("path_unlink_file", Fd, "a.txt/"));
        Assert.Equal(Errno.Success, guest.PathCall("path_unlink_file", Fd, "a.txt"));
        Assert.False(File.Exists(dirs.InSandbox("a.txt")));
        Assert.Equal(Errno.Noent, guest.PathCall("path_unlink_file", Fd, "a.txt"));
        Assert.Equal(Errno.Isdir, guest.PathCall("path_unlink_file", Fd, "d"));
    }

    [Fact]
    public void UnlinkingASymlinkRemovesTheLinkOnly()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        File.CreateSymbolicLink(dirs.InSandbox("link"), "a.txt");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.PathCall("path_unlink_file", Fd, "link"));
        Assert.False(Path.Exists(dirs.InSandbox("link")));
        Assert.True(File.Exists(dirs.InSandbox("a.txt")));
    }

    [Fact]
    public void RenameFileAndDirectory()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        dirs.WriteFile("d/x", "x");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, TwoPaths(guest, "path_rename", "a.txt", "d/b.txt"));
        Assert.Equal("a", File.ReadAllText(dirs.InSandbox("d/b.txt")));
        Assert.Equal(Errno.Success, TwoPaths(guest, "path_rename", "d", "e"));
        Assert.True(File.Exists(dirs.InSandbox("e/x")));
        Assert.Equal(Errno.Noent, TwoPaths(guest, "path_rename", "missing", "x"));
        Assert.Equal(Errno.Notdir, TwoPaths(guest, "path_rename", "e/x", "y/"));
    }

    [Fact]
    public void HardLinkSharesTheFile()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, TwoPaths(guest, "path_link", "a.txt", "b.txt"));
        int length = guest.Put(WasiGuest.Strings, "a.txt");
        Assert.Equal(Errno.Success, guest.Call("path_filestat_get", Fd, 0, WasiGuest.Strings, length, 256));
        Assert.Equal(2, guest.ReadI64(256 + 24));
        Assert.Equal(Errno.Exist, TwoPaths(guest, "path_link", "a.txt", "b.txt"));
        Assert.Equal(Errno.Noent, TwoPaths(guest, "path_link", "missing", "c.txt"));
    }

    [Fact]
    public void SymlinkAndReadlink()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, TwoPaths(guest, "path_symlink", "a.txt", "link"));
        Assert.Equal(Errno.Exist, TwoPaths(guest, "path_symlink", "a.txt", "link"));
        int length = guest.Put(WasiGuest.Strings, "link");
        Assert.Equal(Errno.Success, guest.Call("path_readlink", Fd, WasiGuest.Strings, length, WasiGuest.Buffer, 100, WasiGuest.Result));
        Assert.Equal("a.txt", guest.ReadString(WasiGuest.Buffer, guest.ReadI32(WasiGuest.Result)));
        // A short buffer gets the start of the target, as readlink(2) gives.
        Assert.Equal(Errno.Success, guest.Call("path_readlink", Fd, WasiGuest.Strings, length, WasiGuest.Buffer, 2, WasiGuest.Result));
        Assert.Equal(2, guest.ReadI32(WasiGuest.Result));
        length = guest.Put(WasiGuest.Strings, "a.txt");
        Assert.Equal(Errno.Inval, guest.Call("path_readlink", Fd, WasiGuest.Strings, length, WasiGuest.Buffer, 100, WasiGuest.Result));
        Assert.Equal(Errno.Noent, TwoPaths(guest, "path_symlink", "", "link2"));
    }

    [Fact]
    public void FilestatGetFollowsOnlyWhenAsked()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "abc");
        File.CreateSymbolicLink(dirs.InSandbox("link"), "a.txt");
        using var guest = dirs.Guest();
        int length = guest.Put(WasiGuest.Strings, "link");
        Assert.Equal(Errno.Success, guest.Call("path_filestat_get", Fd, 1, WasiGuest.Strings, length, 256));
        Assert.Equal(4, guest.Memory.ReadByte(256 + 16));
        Assert.Equal(3, guest.ReadI64(256 + 32));
        Assert.Equal(Errno.Success, guest.Call("path_filestat_get", Fd, 0, WasiGuest.Strings, length, 256));
        Assert.Equal(7, guest.Memory.ReadByte(256 + 16));
        length = guest.Put(WasiGuest.Strings, "a.txt/");
        Assert.Equal(Errno.Notdir, guest.Call("path_filestat_get", Fd, 0, WasiGuest.Strings, length, 256));
        length = guest.Put(WasiGuest.Strings, ".");
        Assert.Equal(Errno.Success, guest.Call("path_filestat_get", Fd, 0, WasiGuest.Strings, length, 256));
        Assert.Equal(3, guest.Memory.ReadByte(256 + 16));
    }

    [Fact]
    public void FilestatSetTimesByPath()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "abc");
        using var guest = dirs.Guest();
        int length = guest.Put(WasiGuest.Strings, "a.txt");
        long time = 1_500_000_000_000_000_000;
        Assert.Equal(Errno.Success, guest.Call("path_filestat_set_times", Fd, 0, WasiGuest.Strings, length, time, time, 1 | 4));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_500_000_000).UtcDateTime, File.GetLastWriteTimeUtc(dirs.InSandbox("a.txt")));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_500_000_000).UtcDateTime, File.GetLastAccessTimeUtc(dirs.InSandbox("a.txt")));
        Assert.Equal(Errno.Success, guest.Call("path_filestat_set_times", Fd, 0, WasiGuest.Strings, length, 0L, 0L, 8));
        Assert.True(File.GetLastWriteTimeUtc(dirs.InSandbox("a.txt")) > DateTime.UtcNow.AddMinutes(-5));
        Assert.Equal(Errno.Inval, guest.Call("path_filestat_set_times", Fd, 0, WasiGuest.Strings, length, 0L, 0L, 16));
    }

    [Fact]
    public void PrestatDescribesPreopens()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Call("fd_prestat_get", Fd, 256));
        Assert.Equal(0, guest.Memory.ReadByte(256));
        Assert.Equal("/sandbox".Length, guest.ReadI32(260));
        Assert.Equal(Errno.Success, guest.Call("fd_prestat_dir_name", Fd, WasiGuest.Buffer, 8));
        Assert.Equal("/sandbox", guest.ReadString(WasiGuest.Buffer, 8));
        Assert.Equal(Errno.Nametoolong, guest.Call("fd_prestat_dir_name", Fd, WasiGuest.Buffer, 7));
        Assert.Equal(Errno.Badf, guest.Call("fd_prestat_get", Fd + 1, 256));
        Assert.Equal(Errno.Badf, guest.Call("fd_prestat_get", 1, 256));
    }

    [Fact]
    public void PreopensAreNumberedInOrder()
    {
        using var dirs = new TempSandbox();
        using var guest = new WasiGuest(c => c.WithPreopenedDirectory(dirs.Sandbox, "a").WithPreopenedDirectory(dirs.Outside, "b"));
        Assert.Equal(Errno.Success, guest.Call("fd_prestat_dir_name", 3, WasiGuest.Buffer, 1));
        Assert.Equal("a", guest.ReadString(WasiGuest.Buffer, 1));
        Assert.Equal(Errno.Success, guest.Call("fd_prestat_dir_name", 4, WasiGuest.Buffer, 1));
        Assert.Equal("b", guest.ReadString(WasiGuest.Buffer, 1));
    }

    [Fact]
    public void MissingPreopenDirectoryThrowsOnTheHost()
    {
        Assert.Throws<DirectoryNotFoundException>(() =>
            new WasiContext(new WasiConfiguration().WithPreopenedDirectory("/nonexistent/ironwasm", "x")));
    }

    /// <summary>Reads every entry with <paramref name="bufferSize"/>-byte fd_readdir calls, resuming from cookies.</summary>
    private static List<(string Name, byte Type, long Next)> ReadAll(WasiGuest guest, int fd, int bufferSize)
    {
        var entries = new List<(string, byte, long)>();
        long cookie = 0;
        while (true)
        {
            Assert.Equal(Errno.Success, guest.Call("fd_readdir", fd, WasiGuest.Buffer, bufferSize, cookie, WasiGuest.Result));
            int used = guest.ReadI32(WasiGuest.Result);
            int at = 0;
            bool progressed = false;
            while (at + 24 <= used)
            {
                long next = guest.ReadI64(WasiGuest.Buffer + at);
                int nameLength = guest.ReadI32(WasiGuest.Buffer + at + 16);
                byte type = guest.Memory.ReadByte(WasiGuest.Buffer + at + 20);
                if (at + 24 + nameLength > used) break; // cut off: ask again from its cookie
                entries.Add((guest.ReadString(WasiGuest.Buffer + at + 24, nameLength), type, next));
                cookie = next;
                progressed = true;
                at += 24 + nameLength;
            }
            if (used < bufferSize) return entries;
            Assert.True(progressed, "buffer too small for one entry");
        }
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(40)]
    public void ReaddirListsEveryEntryWithTypesAcrossCalls(int bufferSize)
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("file.txt", "x");
        Directory.CreateDirectory(dirs.InSandbox("dir"));
        File.CreateSymbolicLink(dirs.InSandbox("link"), "file.txt");
        for (int i = 0; i < 20; i++) dirs.WriteFile($"many{i:D2}", "");
        using var guest = dirs.Guest();
        var entries = ReadAll(guest, Fd, bufferSize);
        var byName = entries.ToDictionary(e => e.Name, e => e.Type);
        Assert.Equal(25, entries.Count);
        Assert.Equal(4, byName["file.txt"]);
        Assert.Equal(3, byName["dir"]);
        Assert.Equal(7, byName["link"]);
        Assert.Equal(3, byName["."]);
        Assert.Equal(3, byName[".."]);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), entries.Select(e => e.Next));
    }

    [Fact]
    public void ReaddirOnAFileIsNotdirAndWithoutRightIsNotcapable()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "x");
        Directory.CreateDirectory(dirs.InSandbox("d"));
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(Fd, "a.txt", 0));
        int file = guest.ReadI32(WasiGuest.Result);
        Assert.Equal(Errno.Notdir, guest.Call("fd_readdir", file, WasiGuest.Buffer, 100, 0L, WasiGuest.Result));
        Assert.Equal(Errno.Success, guest.Open(Fd, "d", 2, rights: 1L << 13));
        int dir = guest.ReadI32(WasiGuest.Result);
        Assert.Equal(Errno.Notcapable, guest.Call("fd_readdir", dir, WasiGuest.Buffer, 100, 0L, WasiGuest.Result));
    }

    [Fact]
    public void ReaddirPastTheEndIsEmpty()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Call("fd_readdir", Fd, WasiGuest.Buffer, 100, 1000L, WasiGuest.Result));
        Assert.Equal(0, guest.ReadI32(WasiGuest.Result));
    }

    [Fact]
    public void PathFunctionsOnAFileDescriptorAreNotdir()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "x");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(Fd, "a.txt", 0));
        int file = guest.ReadI32(WasiGuest.Result);
        Assert.Equal(Errno.Notdir, guest.Open(file, "x", 0));
        Assert.Equal(Errno.Notdir, guest.PathCall("path_create_directory", file, "x"));
        Assert.Equal(Errno.Notdir, guest.PathCall("path_create_directory", 1, "x"));
        Assert.Equal(Errno.Badf, guest.PathCall("path_create_directory", 99, "x"));
    }

    [Fact]
    public void OpenedSubdirectoryWorksAsABase()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("sub/a.txt", "a");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(Fd, "sub", 2));
        int sub = guest.ReadI32(WasiGuest.Result);
        Assert.Equal(Errno.Success, guest.Open(sub, "a.txt", 0));
        Assert.Equal(Errno.Success, guest.PathCall("path_create_directory", sub, "made"));
        Assert.True(Directory.Exists(dirs.InSandbox("sub/made")));
        Assert.Equal(Errno.Success, guest.Open(sub, ".", 2));
    }

    [Fact]
    public void NamesAreBytesNotDecodedText()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(Fd, "ünïcødé.txt", 1));
        Assert.True(File.Exists(dirs.InSandbox("ünïcødé.txt")));
        Assert.Equal(Encoding.UTF8.GetByteCount("ünïcødé.txt"), guest.Put(WasiGuest.Strings, "ünïcødé.txt"));
    }
}
