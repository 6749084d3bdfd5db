using IronWasm.Wasi.Native;

namespace IronWasm.Wasi;

/// <summary>A guest path resolved inside a directory capability: the host directory
/// <see cref="DirectoryFd"/> holding the final component <see cref="Name"/>. Dispose it to close the
/// directory the resolver opened (the base directory itself is never closed).</summary>
internal sealed class ResolvedPath(int directoryFd, byte[] name, bool trailingSlash, int depth, int ownedFd) : IDisposable
{
    public int DirectoryFd { get; } = directoryFd;

    /// <summary>The last component, NUL-terminated, never containing '/'; "." when the path names the directory itself.</summary>
    public byte[] Name { get; } = name;

    /// <summary>The path ended in '/': it must name a directory.</summary>
    public bool TrailingSlash { get; } = trailingSlash;

    /// <summary>How many directories below the base <see cref="DirectoryFd"/> is.</summary>
    public int Depth { get; } = depth;

    public bool IsSelf => Name is [(byte)'.', 0];

    public void Dispose()
    {
        if (ownedFd >= 0) Libc.close(ownedFd);
    }
}

/// <summary>Resolves guest paths so that they can never leave the directory they start from.</summary>
/// <remarks>
/// The kernel never sees a guest path. The resolver walks it one component at a time: each directory is
/// opened with <c>openat(parent, name, O_PATH | O_DIRECTORY | O_NOFOLLOW)</c> relative to the one before,
/// so a component that is (or has just become) a symbolic link is never followed by the kernel. ".."
/// pops the resolver's own stack of opened directories instead of asking the kernel for the parent, and
/// popping the base is refused; so neither "..", nor a directory moved elsewhere mid-walk, can reach
/// above the base. Symbolic links are read with <c>readlinkat</c> and their targets spliced into the
/// walk: an absolute target is refused, a relative one is resolved under the same rules. The final
/// component is returned unfollowed (unless asked, or written with a trailing slash) for the caller's
/// <c>*at</c> call, which must itself not follow links (AT_SYMLINK_NOFOLLOW, O_NOFOLLOW, or calls that
/// never follow). See RATIONALE.md.
/// Errors: absolute path or escape => ENOTCAPABLE; NUL in the path => EINVAL; empty path => ENOENT;
/// more than <see cref="MaxSymlinks"/> links => ELOOP.
/// </remarks>
internal static unsafe class PathResolver
{
    /// <summary>Linux's MAXSYMLINKS.</summary>
    public const int MaxSymlinks = 40;

    private const int MaxPathLength = 4096;

    public static ResolvedPath Resolve(int baseFd, ReadOnlySpan<byte> path, bool followFinal)
    {
        if (path.Length == 0) throw new WasiError(Errno.Noent);
        if (path.Length >= MaxPathLength) throw new WasiError(Errno.Nametoolong);
        if (path.Contains((byte)0)) throw new WasiError(Errno.Inval);
        if (path[0] == (byte)'/') throw new WasiError(Errno.Notcapable);

        var pending = new Stack<(byte[] Name, bool Slash)>();
        Push(pending, path, trailingSlash: false);
        var opened = new List<int>();
        int symlinks = 0;
        try
        {
            while (true)
            {
                var (name, slash) = pending.Pop();
                bool isFinal = pending.Count == 0;
                int current = opened.Count > 0 ? opened[^1] : baseFd;

                if (name is [(byte)'.'])
                {
                    if (isFinal) return Finish(opened, baseFd, [(byte)'.', 0], trailingSlash: true);
                    continue;
                }
                if (name is [(byte)'.', (byte)'.'])
                {
                    if (opened.Count == 0) throw new WasiError(Errno.Notcapable);
                    Libc.close(opened[^1]);
                    opened.RemoveAt(opened.Count - 1);
                    if (isFinal) return Finish(opened, baseFd, [(byte)'.', 0], trailingSlash: true);
                    continue;
                }

                byte[] terminated = [.. name, 0];
                if (isFinal)
                {
                    // "name/" names what a link there points to, whatever the lookup flags (POSIX).
                    if ((followFinal || slash) && ReadLink(current, terminated) is { } finalTarget)
                    {
                        Splice(pending, finalTarget, slash, ref symlinks);
                        continue;
                    }
                    return Finish(opened, baseFd, terminated, slash);
                }

                int fd;
                fixed (byte* p = terminated)
                {
                    do fd = Libc.openat(current, p, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
                    while (fd < 0 && Libc.LastError == Libc.EINTR);
                }
                if (fd >= 0)
                {
                    opened.Add(fd);
                    continue;
                }
                int error = Libc.LastError;
                // O_NOFOLLOW refused a symbolic link (ELOOP, or ENOTDIR with O_DIRECTORY): expand it ourselves.
                if ((error is Libc.ELOOP or Libc.ENOTDIR) && ReadLink(current, terminated) is { } target)
                {
                    Splice(pending, target, slashAfter: true, ref symlinks);
                    continue;
                }
                throw new WasiError(Libc.ToErrno(error));
            }
        }
        catch
        {
            foreach (int fd in opened) Libc.close(fd);
            throw;
        }
    }

    private static ResolvedPath Finish(List<int> opened, int baseFd, byte[] name, bool trailingSlash)
    {
        // Only the innermost directory is needed from here on.
        for (int i = 0; i < opened.Count - 1; i++) Libc.close(opened[i]);
        int owned = opened.Count > 0 ? opened[^1] : -1;
        return new ResolvedPath(owned >= 0 ? owned : baseFd, name, trailingSlash, opened.Count, owned);
    }

    /// <summary>Queues the components of <paramref name="path"/> to be walked before anything pending.</summary>
    private static void Push(Stack<(byte[] Name, bool Slash)> pending, ReadOnlySpan<byte> path, bool trailingSlash)
    {
        var components = new List<(byte[], bool)>();
        int start = 0;
        for (int i = 0; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != (byte)'/') continue;
            if (i > start) components.Add((path[start..i].ToArray(), true));
            start = i + 1;
        }
        if (components.Count == 0)
        {
            components.Add(([(byte)'.'], true));
        }
        else
        {
            bool endsWithSlash = path[^1] == (byte)'/';
            components[^1] = (components[^1].Item1, endsWithSlash || trailingSlash);
        }
        for (int i = components.Count - 1; i >= 0; i--) pending.Push(components[i]);
    }

    private static void Splice(Stack<(byte[] Name, bool Slash)> pending, byte[] target, bool slashAfter, ref int symlinks)
    {
        if (++symlinks > MaxSymlinks) throw new WasiError(Errno.Loop);
        if (target.Length == 0) throw new WasiError(Errno.Noent);
        if (target[0] == (byte)'/') throw new WasiError(Errno.Notcapable);
        Push(pending, target, slashAfter);
    }

    /// <summary>The target of <paramref name="name"/> in <paramref name="directoryFd"/> if it is a symbolic link, else null.</summary>
    public static byte[]? ReadLink(int directoryFd, byte[] name) => ReadLink(directoryFd, name, out _);

    /// <summary>As <see cref="ReadLink(int, byte[])"/>, with readlinkat's errno when it is not a link.</summary>
    public static byte[]? ReadLink(int directoryFd, byte[] name, out int error)
    {
        var buffer = new byte[MaxPathLength];
        nint length;
        fixed (byte* p = name)
        fixed (byte* b = buffer)
            length = Libc.readlinkat(directoryFd, p, b, buffer.Length);
        error = length < 0 ? Libc.LastError : 0;
        return length < 0 ? null : buffer[..(int)length];
    }

    /// <summary>Whether the symbolic link target <paramref name="target"/>, placed <paramref name="depth"/>
    /// directories below a base, stays under that base when read as a path (links are not followed).</summary>
    public static bool StaysBeneath(ReadOnlySpan<byte> target, int depth)
    {
        if (target.Length > 0 && target[0] == (byte)'/') return false;
        foreach (var range in target.Split((byte)'/'))
        {
            var component = target[range];
            if (component.Length == 0 || component is [(byte)'.']) continue;
            depth += component is [(byte)'.', (byte)'.'] ? -1 : 1;
            if (depth < 0) return false;
        }
        return true;
    }
}
