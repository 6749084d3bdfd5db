namespace IronWasm.Wasi.Tests;

/// <summary>Every way out of a preopened directory we know of, and the errno each gets. The outside
/// directory holds secret.txt; a test passes only if the guest neither reads nor changes anything there.</summary>
public class SandboxEscapeTests
{
    private const int Creat = 1, Directory = 2, Excl = 4;
    private const int Follow = 1, NoFollow = 0;

    private static void AssertOutsideUntouched(TempSandbox dirs)
    {
        Assert.Equal(["secret.txt"], System.IO.Directory.GetFileSystemEntries(dirs.Outside).Select(Path.GetFileName));
        Assert.Equal("secret", File.ReadAllText(Path.Combine(dirs.Outside, "secret.txt")));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../")]
    [InlineData("../..")]
    [InlineData("../outside/secret.txt")]
    [InlineData("./../outside/secret.txt")]
    [InlineData("sub/../../outside/secret.txt")]
    [InlineData("sub/../sub/../../outside/secret.txt")]
    [InlineData("sub/./.././../outside")]
    public void DotDotAboveThePreopenIsNotcapable(string path)
    {
        using var dirs = new TempSandbox();
        System.IO.Directory.CreateDirectory(dirs.InSandbox("sub"));
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, path, 0));
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, path, 0, lookup: NoFollow));
    }

    [Fact]
    public void DotDotThatStaysInsideIsAllowed()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("sub/a.txt", "a");
        dirs.WriteFile("b.txt", "b");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "sub/../b.txt", 0));
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "sub/../sub/a.txt", 0));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/etc/passwd")]
    [InlineData("/sandbox/a.txt")]
    [InlineData("//a.txt")]
    public void AbsolutePathIsNotcapable(string path)
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, path, 0));
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_create_directory", TempSandbox.Fd, path));
    }

    [Fact]
    public void AbsoluteSymlinkToOutsideIsNotcapableWhenFollowed()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(dirs.InSandbox("link"), Path.Combine(dirs.Outside, "secret.txt"));
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, "link", 0, lookup: Follow));
    }

    [Fact]
    public void AbsoluteSymlinkIntoThePreopenIsStillNotcapable()
    {
        // Absolute link targets mean nothing inside a sandbox; they are never followed.
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        File.CreateSymbolicLink(dirs.InSandbox("link"), dirs.InSandbox("a.txt"));
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, "link", 0, lookup: Follow));
    }

    [Fact]
    public void RelativeSymlinkToOutsideIsNotcapableWhenFollowed()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(dirs.InSandbox("link"), "../outside/secret.txt");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, "link", 0, lookup: Follow));
    }

    [Fact]
    public void SymlinkIsNotFollowedWithoutLookupFlagAndOpeningItIsLoop()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        File.CreateSymbolicLink(dirs.InSandbox("inside"), "a.txt");
        File.CreateSymbolicLink(dirs.InSandbox("outside"), "../outside/secret.txt");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Loop, guest.Open(TempSandbox.Fd, "inside", 0, lookup: NoFollow));
        Assert.Equal(Errno.Loop, guest.Open(TempSandbox.Fd, "outside", 0, lookup: NoFollow));
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "inside", 0, lookup: Follow));
    }

    [Fact]
    public void SymlinkChainThatEndsOutsideIsNotcapable()
    {
        using var dirs = new TempSandbox();
        System.IO.Directory.CreateDirectory(dirs.InSandbox("d"));
        File.CreateSymbolicLink(dirs.InSandbox("a"), "b");
        File.CreateSymbolicLink(dirs.InSandbox("b"), "d/c");
        File.CreateSymbolicLink(dirs.InSandbox("d/c"), "../../outside/secret.txt");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, "a", 0));
    }

    [Fact]
    public void SymlinkChainThatStaysInsideIsFollowed()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("d/real.txt", "real");
        File.CreateSymbolicLink(dirs.InSandbox("a"), "b");
        File.CreateSymbolicLink(dirs.InSandbox("b"), "d/c");
        File.CreateSymbolicLink(dirs.InSandbox("d/c"), "../d/./real.txt");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "a", 0));
    }

    [Fact]
    public void SymlinkLoopIsLoop()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(dirs.InSandbox("loop1"), "loop2");
        File.CreateSymbolicLink(dirs.InSandbox("loop2"), "loop1");
        File.CreateSymbolicLink(dirs.InSandbox("self"), "self");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Loop, guest.Open(TempSandbox.Fd, "loop1", 0));
        Assert.Equal(Errno.Loop, guest.Open(TempSandbox.Fd, "self", 0));
        Assert.Equal(Errno.Loop, guest.Open(TempSandbox.Fd, "self/x", 0));
        Assert.Equal(Errno.Loop, guest.PathCall("path_create_directory", TempSandbox.Fd, "loop1/x"));
    }

    [Fact]
    public void LongSymlinkChainIsLoopBeyondTheLimit()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("target.txt", "t");
        const int links = PathResolver.MaxSymlinks + 5;
        for (int i = 0; i < links; i++) File.CreateSymbolicLink(dirs.InSandbox($"l{i}"), i == links - 1 ? "target.txt" : $"l{i + 1}");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Loop, guest.Open(TempSandbox.Fd, "l0", 0));
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, $"l{links - PathResolver.MaxSymlinks}", 0));
    }

    [Fact]
    public void DirectorySymlinkInTheMiddlePointingOutsideIsNotcapable()
    {
        using var dirs = new TempSandbox();
        System.IO.Directory.CreateSymbolicLink(dirs.InSandbox("rel"), "../outside");
        System.IO.Directory.CreateSymbolicLink(dirs.InSandbox("abs"), dirs.Outside);
        using var guest = dirs.Guest();
        foreach (var path in new[] { "rel/secret.txt", "abs/secret.txt", "rel/", "abs/." })
        {
            Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, path, 0));
            Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, path, 0, lookup: NoFollow));
        }
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, "rel/new.txt", Creat));
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_unlink_file", TempSandbox.Fd, "rel/secret.txt"));
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_create_directory", TempSandbox.Fd, "abs/newdir"));
        AssertOutsideUntouched(dirs);
    }

    [Fact]
    public void DirectorySymlinkInTheMiddlePointingInsideIsFollowed()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("sub/deep/a.txt", "a");
        System.IO.Directory.CreateSymbolicLink(dirs.InSandbox("sub/link"), "deep");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "sub/link/a.txt", 0, lookup: NoFollow));
        // ".." after a followed directory link is the parent of the link's target, as in POSIX.
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "sub/link/../deep/a.txt", 0));
    }

    [Fact]
    public void PathWithNulIsInval()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Inval, guest.Open(TempSandbox.Fd, "a.txt\0../outside/secret.txt", 0));
        Assert.Equal(Errno.Inval, guest.PathCall("path_create_directory", TempSandbox.Fd, "x\0y"));
    }

    [Fact]
    public void EmptyPathIsNoent()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Noent, guest.Open(TempSandbox.Fd, "", 0));
    }

    [Fact]
    public void CreatingThroughASymlinkToOutsideIsNotcapable()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(dirs.InSandbox("evil"), "../outside/new.txt");
        File.CreateSymbolicLink(dirs.InSandbox("evilabs"), Path.Combine(dirs.Outside, "new.txt"));
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, "evil", Creat));
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, "evilabs", Creat));
        // Without following, O_CREAT | O_EXCL meets the link itself.
        Assert.Equal(Errno.Exist, guest.Open(TempSandbox.Fd, "evil", Creat | Excl, lookup: NoFollow));
        AssertOutsideUntouched(dirs);
    }

    [Fact]
    public void CreatingThroughADanglingSymlinkInsideCreatesTheTarget()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(dirs.InSandbox("dangling"), "made.txt");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Noent, guest.Open(TempSandbox.Fd, "dangling", 0));
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "dangling", Creat));
        Assert.True(File.Exists(dirs.InSandbox("made.txt")));
    }

    [Fact]
    public void HardlinkFromOutsideIsNotcapable()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(dirs.InSandbox("link"), "../outside/secret.txt");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, Link(guest, "../outside/secret.txt", "stolen", NoFollow));
        Assert.Equal(Errno.Notcapable, Link(guest, "link", "stolen", Follow));
        Assert.False(File.Exists(dirs.InSandbox("stolen")));
    }

    [Fact]
    public void HardlinkToOutsideIsNotcapable()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, Link(guest, "a.txt", "../outside/a.txt", NoFollow));
        AssertOutsideUntouched(dirs);
    }

    [Fact]
    public void HardlinkOfASymlinkWithoutFollowLinksTheSymlinkItself()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(dirs.InSandbox("link"), "../outside/secret.txt");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, Link(guest, "link", "link2", NoFollow));
        Assert.Equal("../outside/secret.txt", new FileInfo(dirs.InSandbox("link2")).LinkTarget);
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, "link2", 0));
    }

    private static Errno Link(WasiGuest guest, string from, string to, int flags)
    {
        int fromLength = guest.Put(WasiGuest.Strings, from);
        int toLength = guest.Put(WasiGuest.Strings2, to);
        return guest.Call("path_link", TempSandbox.Fd, flags, WasiGuest.Strings, fromLength, TempSandbox.Fd, WasiGuest.Strings2, toLength);
    }

    private static Errno Rename(WasiGuest guest, string from, string to)
    {
        int fromLength = guest.Put(WasiGuest.Strings, from);
        int toLength = guest.Put(WasiGuest.Strings2, to);
        return guest.Call("path_rename", TempSandbox.Fd, WasiGuest.Strings, fromLength, TempSandbox.Fd, WasiGuest.Strings2, toLength);
    }

    private static Errno Symlink(WasiGuest guest, string target, string link)
    {
        int targetLength = guest.Put(WasiGuest.Strings, target);
        int linkLength = guest.Put(WasiGuest.Strings2, link);
        return guest.Call("path_symlink", WasiGuest.Strings, targetLength, TempSandbox.Fd, WasiGuest.Strings2, linkLength);
    }

    [Fact]
    public void RenameOutOfOrIntoThePreopenIsNotcapable()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        System.IO.Directory.CreateSymbolicLink(dirs.InSandbox("out"), "../outside");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, Rename(guest, "a.txt", "../outside/a.txt"));
        Assert.Equal(Errno.Notcapable, Rename(guest, "a.txt", "out/a.txt"));
        Assert.Equal(Errno.Notcapable, Rename(guest, "../outside/secret.txt", "stolen.txt"));
        Assert.Equal(Errno.Notcapable, Rename(guest, "out/secret.txt", "stolen.txt"));
        Assert.True(File.Exists(dirs.InSandbox("a.txt")));
        AssertOutsideUntouched(dirs);
    }

    [Fact]
    public void RenamingASymlinkMovesTheLinkNotItsTarget()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(dirs.InSandbox("link"), "../outside/secret.txt");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, Rename(guest, "link", "moved"));
        Assert.Equal("../outside/secret.txt", new FileInfo(dirs.InSandbox("moved")).LinkTarget);
        AssertOutsideUntouched(dirs);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../outside/secret.txt")]
    [InlineData("a/../../x")]
    public void CreatingASymlinkThatPointsOutsideIsNotcapable(string target)
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, Symlink(guest, target, "link"));
        Assert.False(Path.Exists(dirs.InSandbox("link")));
    }

    [Fact]
    public void CreatingASymlinkInASubdirectoryMayClimbToThePreopen()
    {
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        System.IO.Directory.CreateDirectory(dirs.InSandbox("sub"));
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, Symlink(guest, "../a.txt", "sub/link"));
        Assert.Equal(Errno.Notcapable, Symlink(guest, "../../a.txt", "sub/link2"));
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "sub/link", 0));
    }

    [Fact]
    public void StatThroughEscapingPathsIsNotcapable()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(dirs.InSandbox("link"), "../outside/secret.txt");
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, Stat(guest, "../outside/secret.txt", Follow));
        Assert.Equal(Errno.Notcapable, Stat(guest, "link", Follow));
        // Without following, the link itself is what is described: type symbolic_link, size of its target text.
        Assert.Equal(Errno.Success, Stat(guest, "link", NoFollow));
        Assert.Equal(7, guest.Memory.ReadByte(256 + 16));
        Assert.Equal("../outside/secret.txt".Length, guest.ReadI64(256 + 32));
    }

    private static Errno Stat(WasiGuest guest, string path, int flags)
    {
        int length = guest.Put(WasiGuest.Strings, path);
        return guest.Call("path_filestat_get", TempSandbox.Fd, flags, WasiGuest.Strings, length, 256);
    }

    [Fact]
    public void SetTimesThroughAnEscapingLinkIsNotcapable()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(dirs.InSandbox("link"), "../outside/secret.txt");
        var before = File.GetLastWriteTimeUtc(Path.Combine(dirs.Outside, "secret.txt"));
        using var guest = dirs.Guest();
        int length = guest.Put(WasiGuest.Strings, "link");
        Assert.Equal(Errno.Notcapable, guest.Call("path_filestat_set_times", TempSandbox.Fd, Follow, WasiGuest.Strings, length, 0L, 0L, 4));
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(dirs.Outside, "secret.txt")));
    }

    [Fact]
    public void RemovingOutsideIsNotcapable()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_unlink_file", TempSandbox.Fd, "../outside/secret.txt"));
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_remove_directory", TempSandbox.Fd, "../outside"));
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_remove_directory", TempSandbox.Fd, ".."));
        Assert.Equal(Errno.Notcapable, guest.PathCall("path_create_directory", TempSandbox.Fd, "../outside/new"));
        AssertOutsideUntouched(dirs);
    }

    [Fact]
    public void ReadlinkOutsideIsNotcapable()
    {
        using var dirs = new TempSandbox();
        File.CreateSymbolicLink(Path.Combine(dirs.Outside, "olink"), "secret.txt");
        using var guest = dirs.Guest();
        int length = guest.Put(WasiGuest.Strings, "../outside/olink");
        Assert.Equal(Errno.Notcapable, guest.Call("path_readlink", TempSandbox.Fd, WasiGuest.Strings, length, WasiGuest.Buffer, 100, 0));
    }

    [Fact]
    public void ADirectoryDescriptorCannotClimbAboveItself()
    {
        // A descriptor is the whole capability: ".." from an opened subdirectory stops there, even
        // though the preopen lies above it.
        using var dirs = new TempSandbox();
        dirs.WriteFile("a.txt", "a");
        System.IO.Directory.CreateDirectory(dirs.InSandbox("sub"));
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Success, guest.Open(TempSandbox.Fd, "sub", Directory));
        int sub = guest.ReadI32(WasiGuest.Result);
        Assert.Equal(Errno.Notcapable, guest.Open(sub, "../a.txt", 0));
    }

    [Fact]
    public void ReadingTheRootsParentThroughReaddirIsNotPossible()
    {
        using var dirs = new TempSandbox();
        using var guest = dirs.Guest();
        Assert.Equal(Errno.Notcapable, guest.Open(TempSandbox.Fd, "..", Directory));
    }

    [Fact]
    public void SwappingADirectoryForASymlinkDuringLookupNeverEscapes()
    {
        // The host flips sandbox/dir between a real directory and a symbolic link to the outside while
        // the guest keeps opening dir/secret.txt. Whatever the interleaving, the guest reads the inside file
        // or fails; the outside secret is never read.
        using var dirs = new TempSandbox();
        dirs.WriteFile("real/secret.txt", "inside");
        using var guest = dirs.Guest();
        string dir = dirs.InSandbox("dir"), real = dirs.InSandbox("real");
        using var swapper = new Flipper(() =>
        {
            System.IO.Directory.Move(real, dir);
            Thread.SpinWait(20000); // leave the real directory in place long enough to be found sometimes
            System.IO.Directory.Move(dir, real);
            System.IO.Directory.CreateSymbolicLink(dir, "../outside");
            Thread.SpinWait(2000);
            File.Delete(dir);
            System.IO.Directory.CreateSymbolicLink(dir, dirs.Outside);
            Thread.SpinWait(2000);
            File.Delete(dir);
        });
        int opened = 0, refused = 0;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && (opened < 10 || refused < 10))
        {
            var errno = guest.Open(TempSandbox.Fd, "dir/secret.txt", 0, rights: 1L << 1);
            if (errno == Errno.Notcapable) refused++;
            if (errno != Errno.Success) continue;
            int fd = guest.ReadI32(WasiGuest.Result);
            guest.Memory.WriteInt32(WasiGuest.Buffer - 64, WasiGuest.Buffer);
            guest.Memory.WriteInt32(WasiGuest.Buffer - 60, 100);
            Assert.Equal(Errno.Success, guest.Call("fd_read", fd, WasiGuest.Buffer - 64, 1, WasiGuest.Result2));
            Assert.Equal("inside", guest.ReadString(WasiGuest.Buffer, guest.ReadI32(WasiGuest.Result2)));
            Assert.Equal(Errno.Success, guest.Call("fd_close", fd));
            opened++;
        }
        swapper.Stop();
        // Both outcomes must have happened, or the race was not exercised.
        Assert.True(refused > 0, "the guest never met the link");
        Assert.True(opened > 0, "the guest never found the directory in place");
    }

    [Fact]
    public void SwappingTheFinalFileForASymlinkDuringOpenNeverEscapes()
    {
        // The last component flips between a file and a link to the outside: between the resolver's
        // look at it and the open, it may change; O_NOFOLLOW on the open turns that into ELOOP.
        using var dirs = new TempSandbox();
        dirs.WriteFile("real.txt", "inside");
        using var guest = dirs.Guest();
        string target = dirs.InSandbox("target"), real = dirs.InSandbox("real.txt");
        using var swapper = new Flipper(() =>
        {
            File.Move(real, target);
            Thread.SpinWait(20000);
            File.Move(target, real);
            File.CreateSymbolicLink(target, Path.Combine(dirs.Outside, "secret.txt"));
            Thread.SpinWait(2000);
            File.Delete(target);
        });
        int opened = 0, refused = 0;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && (opened < 10 || refused < 10))
        {
            var errno = guest.Open(TempSandbox.Fd, "target", 0, rights: 1L << 1);
            if (errno is Errno.Notcapable or Errno.Loop) refused++;
            if (errno != Errno.Success) continue;
            int fd = guest.ReadI32(WasiGuest.Result);
            guest.Memory.WriteInt32(WasiGuest.Buffer - 64, WasiGuest.Buffer);
            guest.Memory.WriteInt32(WasiGuest.Buffer - 60, 100);
            Assert.Equal(Errno.Success, guest.Call("fd_read", fd, WasiGuest.Buffer - 64, 1, WasiGuest.Result2));
            Assert.Equal("inside", guest.ReadString(WasiGuest.Buffer, guest.ReadI32(WasiGuest.Result2)));
            Assert.Equal(Errno.Success, guest.Call("fd_close", fd));
            opened++;
        }
        swapper.Stop();
        Assert.True(refused > 0, "the guest never met the link");
        Assert.True(opened > 0, "the guest never found the file in place");
    }

    /// <summary>Runs <c>flip</c> over and over on its own thread until stopped; a failure there fails the test.</summary>
    private sealed class Flipper : IDisposable
    {
        private readonly Thread _thread;
        private volatile bool _stop;
        private Exception? _failure;

        public Flipper(Action flip)
        {
            _thread = new Thread(() =>
            {
                try { while (!_stop) flip(); }
                catch (Exception e) { _failure = e; }
            });
            _thread.Start();
        }

        public void Stop()
        {
            _stop = true;
            _thread.Join();
            if (_failure is not null) throw new Xunit.Sdk.XunitException($"the flipping thread failed: {_failure}");
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}
