namespace IronWasm.Wasi;

/// <summary>File descriptor rights (typenames.witx <c>$rights</c>): what a descriptor may be used for.
/// Checked on every call; a missing right gives <see cref="Errno.Notcapable"/>.</summary>
[Flags]
internal enum Rights : ulong
{
    None = 0,
    FdDatasync = 1UL << 0,
    FdRead = 1UL << 1,
    FdSeek = 1UL << 2,
    FdFdstatSetFlags = 1UL << 3,
    FdSync = 1UL << 4,
    FdTell = 1UL << 5,
    FdWrite = 1UL << 6,
    FdAdvise = 1UL << 7,
    FdAllocate = 1UL << 8,
    PathCreateDirectory = 1UL << 9,
    PathCreateFile = 1UL << 10,
    PathLinkSource = 1UL << 11,
    PathLinkTarget = 1UL << 12,
    PathOpen = 1UL << 13,
    FdReaddir = 1UL << 14,
    PathReadlink = 1UL << 15,
    PathRenameSource = 1UL << 16,
    PathRenameTarget = 1UL << 17,
    PathFilestatGet = 1UL << 18,
    PathFilestatSetSize = 1UL << 19,
    PathFilestatSetTimes = 1UL << 20,
    FdFilestatGet = 1UL << 21,
    FdFilestatSetSize = 1UL << 22,
    FdFilestatSetTimes = 1UL << 23,
    PathSymlink = 1UL << 24,
    PathRemoveDirectory = 1UL << 25,
    PathUnlinkFile = 1UL << 26,
    PollFdReadwrite = 1UL << 27,
    SockShutdown = 1UL << 28,
    SockAccept = 1UL << 29,

    /// <summary>Every right a regular file descriptor can use.</summary>
    FileAll = FdDatasync | FdRead | FdSeek | FdFdstatSetFlags | FdSync | FdTell | FdWrite | FdAdvise | FdAllocate
        | FdFilestatGet | FdFilestatSetSize | FdFilestatSetTimes | PollFdReadwrite,

    /// <summary>The rights of a file descriptor that only reads.</summary>
    FileRead = FdRead | FdSeek | FdFdstatSetFlags | FdTell | FdAdvise | FdFilestatGet | PollFdReadwrite,

    /// <summary>Every right a directory descriptor can use.</summary>
    DirectoryAll = FdFdstatSetFlags | FdSync | FdDatasync | PathCreateDirectory | PathCreateFile | PathLinkSource | PathLinkTarget
        | PathOpen | FdReaddir | PathReadlink | PathRenameSource | PathRenameTarget | PathFilestatGet | PathFilestatSetSize
        | PathFilestatSetTimes | FdFilestatGet | FdFilestatSetTimes | PathSymlink | PathRemoveDirectory | PathUnlinkFile,

    /// <summary>The rights of a directory descriptor that only looks.</summary>
    DirectoryRead = FdFdstatSetFlags | PathOpen | FdReaddir | PathReadlink | PathFilestatGet | FdFilestatGet,
}
