namespace IronWasm.Wasi;

/// <summary>Adds WASI preview 1 to a <see cref="Linker"/>.</summary>
public static class WasiLinkerExtensions
{
    /// <summary>The import module name of WASI preview 1.</summary>
    public const string ModuleName = "wasi_snapshot_preview1";

    /// <summary>Defines every <c>wasi_snapshot_preview1</c> function in <paramref name="linker"/>, bound
    /// to <paramref name="context"/>. The functions reach the guest's memory through its "memory" export.
    /// They never throw into the guest: errors are errno results, except <c>proc_exit</c>, which ends
    /// the guest with an <see cref="ExitException"/>.</summary>
    public static Linker DefineWasi(this Linker linker, WasiContext context)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var name in FunctionNames) Define(linker, context, name);
        return linker;
    }

    /// <summary>Defines the <c>wasi_snapshot_preview1</c> functions that <paramref name="module"/> imports,
    /// and no others, bound to <paramref name="context"/>: the same definitions as
    /// <see cref="DefineWasi(Linker, WasiContext)"/> makes for those names, at a fraction of its set-up
    /// cost, for a linker that instantiates only this module (a command run once, as <c>ironwasm run</c>
    /// does). Imports of names WASI does not have stay undefined, so instantiation reports them.</summary>
    public static Linker DefineWasi(this Linker linker, WasiContext context, Module module)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(module);
        HashSet<string>? defined = null;
        foreach (var import in module.Imports)
        {
            // A module may import one function several times; it is defined once.
            if (import.Kind == ExternalKind.Function && import.ModuleName == ModuleName && (defined ??= []).Add(import.Name))
                Define(linker, context, import.Name);
        }
        return linker;
    }

    /// <summary>The name of every function of <c>wasi_snapshot_preview1</c>.</summary>
    internal static IReadOnlyList<string> FunctionNames { get; } =
    [
        "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get", "clock_time_get",
        "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
        "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times",
        "fd_pread", "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite", "fd_read", "fd_readdir",
        "fd_renumber", "fd_seek", "fd_sync", "fd_tell", "fd_write", "path_create_directory",
        "path_filestat_get", "path_filestat_set_times", "path_link", "path_open", "path_readlink",
        "path_remove_directory", "path_rename", "path_symlink", "path_unlink_file", "poll_oneoff",
        "proc_exit", "proc_raise", "sched_yield", "random_get", "sock_accept", "sock_recv", "sock_send",
        "sock_shutdown",
    ];

    /// <summary>Defines the function <paramref name="name"/>; false if WASI has no such function. Each
    /// typed definition is its own generic instantiation of <c>Linker.DefineFunction</c> over value types,
    /// which ReadyToRun code does not cover: the JIT compiles one per function defined, so defining only
    /// the imported ones saves most of them.</summary>
    private static bool Define(Linker linker, WasiContext c, string name)
    {
        const string M = ModuleName;
        switch (name)
        {
            case "args_get":
                linker.DefineFunction(M, name, (Caller caller, int argv, int buffer) => c.ArgsGet(caller, argv, buffer));
                return true;

            case "args_sizes_get":
                linker.DefineFunction(M, name, (Caller caller, int count, int size) => c.ArgsSizesGet(caller, count, size));
                return true;

            case "environ_get":
                linker.DefineFunction(M, name, (Caller caller, int environ, int buffer) => c.EnvironGet(caller, environ, buffer));
                return true;

            case "environ_sizes_get":
                linker.DefineFunction(M, name, (Caller caller, int count, int size) => c.EnvironSizesGet(caller, count, size));
                return true;

            case "clock_res_get":
                linker.DefineFunction(M, name, (Caller caller, int id, int resolution) => c.ClockResGet(caller, id, resolution));
                return true;

            case "clock_time_get":
                linker.DefineFunction(M, name, (Caller caller, int id, long precision, int time) => c.ClockTimeGet(caller, id, precision, time));
                return true;

            case "fd_advise":
                linker.DefineFunction(M, name, (int fd, long offset, long length, int advice) => c.FdAdvise(fd, offset, length, advice));
                return true;

            case "fd_allocate":
                linker.DefineFunction(M, name, (int fd, long offset, long length) => c.FdAllocate(fd, offset, length));
                return true;

            case "fd_close":
                linker.DefineFunction(M, name, (int fd) => c.FdClose(fd));
                return true;

            case "fd_datasync":
                linker.DefineFunction(M, name, (int fd) => c.FdSync(fd, dataOnly: true));
                return true;

            case "fd_fdstat_get":
                linker.DefineFunction(M, name, (Caller caller, int fd, int stat) => c.FdFdstatGet(caller, fd, stat));
                return true;

            case "fd_fdstat_set_flags":
                linker.DefineFunction(M, name, (int fd, int flags) => c.FdFdstatSetFlags(fd, flags));
                return true;

            case "fd_fdstat_set_rights":
                linker.DefineFunction(M, name, (int fd, long rightsBase, long rightsInheriting) => c.FdFdstatSetRights(fd, rightsBase, rightsInheriting));
                return true;

            case "fd_filestat_get":
                linker.DefineFunction(M, name, (Caller caller, int fd, int stat) => c.FdFilestatGet(caller, fd, stat));
                return true;

            case "fd_filestat_set_size":
                linker.DefineFunction(M, name, (int fd, long size) => c.FdFilestatSetSize(fd, size));
                return true;

            case "fd_filestat_set_times":
                linker.DefineFunction(M, name, (int fd, long accessTime, long modificationTime, int flags) => c.FdFilestatSetTimes(fd, accessTime, modificationTime, flags));
                return true;

            case "fd_pread":
                linker.DefineFunction(M, name, (Caller caller, int fd, int iovs, int iovsLength, long offset, int read) => c.FdPread(caller, fd, iovs, iovsLength, offset, read));
                return true;

            case "fd_prestat_get":
                linker.DefineFunction(M, name, (Caller caller, int fd, int prestat) => c.FdPrestatGet(caller, fd, prestat));
                return true;

            case "fd_prestat_dir_name":
                linker.DefineFunction(M, name, (Caller caller, int fd, int path, int pathLength) => c.FdPrestatDirName(caller, fd, path, pathLength));
                return true;

            case "fd_pwrite":
                linker.DefineFunction(M, name, (Caller caller, int fd, int iovs, int iovsLength, long offset, int written) => c.FdPwrite(caller, fd, iovs, iovsLength, offset, written));
                return true;

            case "fd_read":
                linker.DefineFunction(M, name, (Caller caller, int fd, int iovs, int iovsLength, int read) => c.FdRead(caller, fd, iovs, iovsLength, read));
                return true;

            case "fd_readdir":
                linker.DefineFunction(M, name, (Caller caller, int fd, int buffer, int bufferLength, long cookie, int used) => c.FdReaddir(caller, fd, buffer, bufferLength, cookie, used));
                return true;

            case "fd_renumber":
                linker.DefineFunction(M, name, (int fd, int to) => c.FdRenumber(fd, to));
                return true;

            case "fd_seek":
                linker.DefineFunction(M, name, (Caller caller, int fd, long offset, int whence, int newOffset) => c.FdSeek(caller, fd, offset, whence, newOffset));
                return true;

            case "fd_sync":
                linker.DefineFunction(M, name, (int fd) => c.FdSync(fd, dataOnly: false));
                return true;

            case "fd_tell":
                linker.DefineFunction(M, name, (Caller caller, int fd, int offset) => c.FdTell(caller, fd, offset));
                return true;

            case "fd_write":
                linker.DefineFunction(M, name, (Caller caller, int fd, int iovs, int iovsLength, int written) => c.FdWrite(caller, fd, iovs, iovsLength, written));
                return true;

            case "path_create_directory":
                linker.DefineFunction(M, name, (Caller caller, int fd, int path, int pathLength) => c.PathCreateDirectory(caller, fd, path, pathLength));
                return true;

            case "path_filestat_get":
                linker.DefineFunction(M, name, (Caller caller, int fd, int flags, int path, int pathLength, int stat) => c.PathFilestatGet(caller, fd, flags, path, pathLength, stat));
                return true;

            case "path_filestat_set_times":
                linker.DefineFunction(M, name, (Caller caller, int fd, int flags, int path, int pathLength, long accessTime, long modificationTime, int fstFlags) =>
                    c.PathFilestatSetTimes(caller, fd, flags, path, pathLength, accessTime, modificationTime, fstFlags));
                return true;

            case "path_link":
                linker.DefineFunction(M, name, (Caller caller, int oldFd, int oldFlags, int oldPath, int oldPathLength, int newFd, int newPath, int newPathLength) =>
                    c.PathLink(caller, oldFd, oldFlags, oldPath, oldPathLength, newFd, newPath, newPathLength));
                return true;

            // Nine parameters are more than the typed overloads take: path_open goes through the untyped
            // callback, whose arguments live in a stack buffer (no boxing either).
            case "path_open":
                linker.DefineFunction(M, name, PathOpenType, (caller, arguments, results) => results[0] = WasmValue.FromInt32(c.PathOpen(caller,
                    arguments[0].AsInt32(), arguments[1].AsInt32(), arguments[2].AsInt32(), arguments[3].AsInt32(), arguments[4].AsInt32(),
                    arguments[5].AsInt64(), arguments[6].AsInt64(), arguments[7].AsInt32(), arguments[8].AsInt32())));
                return true;

            case "path_readlink":
                linker.DefineFunction(M, name, (Caller caller, int fd, int path, int pathLength, int buffer, int bufferLength, int used) =>
                    c.PathReadlink(caller, fd, path, pathLength, buffer, bufferLength, used));
                return true;

            case "path_remove_directory":
                linker.DefineFunction(M, name, (Caller caller, int fd, int path, int pathLength) => c.PathRemoveDirectory(caller, fd, path, pathLength));
                return true;

            case "path_rename":
                linker.DefineFunction(M, name, (Caller caller, int fd, int oldPath, int oldPathLength, int newFd, int newPath, int newPathLength) =>
                    c.PathRename(caller, fd, oldPath, oldPathLength, newFd, newPath, newPathLength));
                return true;

            case "path_symlink":
                linker.DefineFunction(M, name, (Caller caller, int oldPath, int oldPathLength, int fd, int newPath, int newPathLength) =>
                    c.PathSymlink(caller, oldPath, oldPathLength, fd, newPath, newPathLength));
                return true;

            case "path_unlink_file":
                linker.DefineFunction(M, name, (Caller caller, int fd, int path, int pathLength) => c.PathUnlinkFile(caller, fd, path, pathLength));
                return true;

            case "poll_oneoff":
                linker.DefineFunction(M, name, (Caller caller, int input, int output, int count, int events) => c.PollOneoff(caller, input, output, count, events));
                return true;

            case "proc_exit":
                linker.DefineFunction(M, name, (int code) => WasiContext.ProcExit(code));
                return true;

            case "proc_raise":
                linker.DefineFunction(M, name, (int signal) => WasiContext.ProcRaise(signal));
                return true;

            case "sched_yield":
                linker.DefineFunction(M, name, () => WasiContext.SchedYield());
                return true;

            case "random_get":
                linker.DefineFunction(M, name, (Caller caller, int buffer, int length) => WasiContext.RandomGet(caller, buffer, length));
                return true;

            case "sock_accept":
                linker.DefineFunction(M, name, (int fd, int flags, int accepted) => c.SockAccept(fd, flags, accepted));
                return true;

            case "sock_recv":
                linker.DefineFunction(M, name, (int fd, int data, int dataLength, int flags, int receivedLength, int receivedFlags) =>
                    c.SockRecv(fd, data, dataLength, flags, receivedLength, receivedFlags));
                return true;

            case "sock_send":
                linker.DefineFunction(M, name, (int fd, int data, int dataLength, int flags, int sentLength) => c.SockSend(fd, data, dataLength, flags, sentLength));
                return true;

            case "sock_shutdown":
                linker.DefineFunction(M, name, (int fd, int how) => c.SockShutdown(fd, how));
                return true;

            default:
                return false;
        }
    }

    private static readonly FunctionType PathOpenType = new(
        [ValueKind.I32, ValueKind.I32, ValueKind.I32, ValueKind.I32, ValueKind.I32, ValueKind.I64, ValueKind.I64, ValueKind.I32, ValueKind.I32],
        [ValueKind.I32]);
}
