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
        const string M = ModuleName;
        var c = context;

        linker.DefineFunction(M, "args_get", (Caller caller, int argv, int buffer) => c.ArgsGet(caller, argv, buffer));
        linker.DefineFunction(M, "args_sizes_get", (Caller caller, int count, int size) => c.ArgsSizesGet(caller, count, size));
        linker.DefineFunction(M, "environ_get", (Caller caller, int environ, int buffer) => c.EnvironGet(caller, environ, buffer));
        linker.DefineFunction(M, "environ_sizes_get", (Caller caller, int count, int size) => c.EnvironSizesGet(caller, count, size));
        linker.DefineFunction(M, "clock_res_get", (Caller caller, int id, int resolution) => c.ClockResGet(caller, id, resolution));
        linker.DefineFunction(M, "clock_time_get", (Caller caller, int id, long precision, int time) => c.ClockTimeGet(caller, id, precision, time));

        linker.DefineFunction(M, "fd_advise", (int fd, long offset, long length, int advice) => c.FdAdvise(fd, offset, length, advice));
        linker.DefineFunction(M, "fd_allocate", (int fd, long offset, long length) => c.FdAllocate(fd, offset, length));
        linker.DefineFunction(M, "fd_close", (int fd) => c.FdClose(fd));
        linker.DefineFunction(M, "fd_datasync", (int fd) => c.FdSync(fd, dataOnly: true));
        linker.DefineFunction(M, "fd_fdstat_get", (Caller caller, int fd, int stat) => c.FdFdstatGet(caller, fd, stat));
        linker.DefineFunction(M, "fd_fdstat_set_flags", (int fd, int flags) => c.FdFdstatSetFlags(fd, flags));
        linker.DefineFunction(M, "fd_fdstat_set_rights", (int fd, long rightsBase, long rightsInheriting) => c.FdFdstatSetRights(fd, rightsBase, rightsInheriting));
        linker.DefineFunction(M, "fd_filestat_get", (Caller caller, int fd, int stat) => c.FdFilestatGet(caller, fd, stat));
        linker.DefineFunction(M, "fd_filestat_set_size", (int fd, long size) => c.FdFilestatSetSize(fd, size));
        linker.DefineFunction(M, "fd_filestat_set_times", (int fd, long accessTime, long modificationTime, int flags) => c.FdFilestatSetTimes(fd, accessTime, modificationTime, flags));
        linker.DefineFunction(M, "fd_pread", (Caller caller, int fd, int iovs, int iovsLength, long offset, int read) => c.FdPread(caller, fd, iovs, iovsLength, offset, read));
        linker.DefineFunction(M, "fd_prestat_get", (Caller caller, int fd, int prestat) => c.FdPrestatGet(caller, fd, prestat));
        linker.DefineFunction(M, "fd_prestat_dir_name", (Caller caller, int fd, int path, int pathLength) => c.FdPrestatDirName(caller, fd, path, pathLength));
        linker.DefineFunction(M, "fd_pwrite", (Caller caller, int fd, int iovs, int iovsLength, long offset, int written) => c.FdPwrite(caller, fd, iovs, iovsLength, offset, written));
        linker.DefineFunction(M, "fd_read", (Caller caller, int fd, int iovs, int iovsLength, int read) => c.FdRead(caller, fd, iovs, iovsLength, read));
        linker.DefineFunction(M, "fd_readdir", (Caller caller, int fd, int buffer, int bufferLength, long cookie, int used) => c.FdReaddir(caller, fd, buffer, bufferLength, cookie, used));
        linker.DefineFunction(M, "fd_renumber", (int fd, int to) => c.FdRenumber(fd, to));
        linker.DefineFunction(M, "fd_seek", (Caller caller, int fd, long offset, int whence, int newOffset) => c.FdSeek(caller, fd, offset, whence, newOffset));
        linker.DefineFunction(M, "fd_sync", (int fd) => c.FdSync(fd, dataOnly: false));
        linker.DefineFunction(M, "fd_tell", (Caller caller, int fd, int offset) => c.FdTell(caller, fd, offset));
        linker.DefineFunction(M, "fd_write", (Caller caller, int fd, int iovs, int iovsLength, int written) => c.FdWrite(caller, fd, iovs, iovsLength, written));

        linker.DefineFunction(M, "path_create_directory", (Caller caller, int fd, int path, int pathLength) => c.PathCreateDirectory(caller, fd, path, pathLength));
        linker.DefineFunction(M, "path_filestat_get", (Caller caller, int fd, int flags, int path, int pathLength, int stat) => c.PathFilestatGet(caller, fd, flags, path, pathLength, stat));
        linker.DefineFunction(M, "path_filestat_set_times", (Caller caller, int fd, int flags, int path, int pathLength, long accessTime, long modificationTime, int fstFlags) =>
            c.PathFilestatSetTimes(caller, fd, flags, path, pathLength, accessTime, modificationTime, fstFlags));
        linker.DefineFunction(M, "path_link", (Caller caller, int oldFd, int oldFlags, int oldPath, int oldPathLength, int newFd, int newPath, int newPathLength) =>
            c.PathLink(caller, oldFd, oldFlags, oldPath, oldPathLength, newFd, newPath, newPathLength));
        // Nine parameters are more than the typed overloads take: path_open goes through the untyped
        // callback, whose arguments live in a stack buffer (no boxing either).
        linker.DefineFunction(M, "path_open", PathOpenType, (caller, arguments, results) => results[0] = WasmValue.FromInt32(c.PathOpen(caller,
            arguments[0].AsInt32(), arguments[1].AsInt32(), arguments[2].AsInt32(), arguments[3].AsInt32(), arguments[4].AsInt32(),
            arguments[5].AsInt64(), arguments[6].AsInt64(), arguments[7].AsInt32(), arguments[8].AsInt32())));
        linker.DefineFunction(M, "path_readlink", (Caller caller, int fd, int path, int pathLength, int buffer, int bufferLength, int used) =>
            c.PathReadlink(caller, fd, path, pathLength, buffer, bufferLength, used));
        linker.DefineFunction(M, "path_remove_directory", (Caller caller, int fd, int path, int pathLength) => c.PathRemoveDirectory(caller, fd, path, pathLength));
        linker.DefineFunction(M, "path_rename", (Caller caller, int fd, int oldPath, int oldPathLength, int newFd, int newPath, int newPathLength) =>
            c.PathRename(caller, fd, oldPath, oldPathLength, newFd, newPath, newPathLength));
        linker.DefineFunction(M, "path_symlink", (Caller caller, int oldPath, int oldPathLength, int fd, int newPath, int newPathLength) =>
            c.PathSymlink(caller, oldPath, oldPathLength, fd, newPath, newPathLength));
        linker.DefineFunction(M, "path_unlink_file", (Caller caller, int fd, int path, int pathLength) => c.PathUnlinkFile(caller, fd, path, pathLength));

        linker.DefineFunction(M, "poll_oneoff", (Caller caller, int input, int output, int count, int events) => c.PollOneoff(caller, input, output, count, events));
        linker.DefineFunction(M, "proc_exit", (int code) => WasiContext.ProcExit(code));
        linker.DefineFunction(M, "proc_raise", (int signal) => WasiContext.ProcRaise(signal));
        linker.DefineFunction(M, "sched_yield", () => WasiContext.SchedYield());
        linker.DefineFunction(M, "random_get", (Caller caller, int buffer, int length) => WasiContext.RandomGet(caller, buffer, length));

        linker.DefineFunction(M, "sock_accept", (int fd, int flags, int accepted) => c.SockAccept(fd, flags, accepted));
        linker.DefineFunction(M, "sock_recv", (int fd, int data, int dataLength, int flags, int receivedLength, int receivedFlags) =>
            c.SockRecv(fd, data, dataLength, flags, receivedLength, receivedFlags));
        linker.DefineFunction(M, "sock_send", (int fd, int data, int dataLength, int flags, int sentLength) => c.SockSend(fd, data, dataLength, flags, sentLength));
        linker.DefineFunction(M, "sock_shutdown", (int fd, int how) => c.SockShutdown(fd, how));
        return linker;
    }

    private static readonly FunctionType PathOpenType = new(
        [ValueKind.I32, ValueKind.I32, ValueKind.I32, ValueKind.I32, ValueKind.I32, ValueKind.I64, ValueKind.I64, ValueKind.I32, ValueKind.I32],
        [ValueKind.I32]);
}
