namespace IronWasm.Wasi;

/// <summary>What a guest may do inside a preopened directory.</summary>
[Flags]
public enum DirectoryRights
{
    /// <summary>List, stat, open files for reading, read symbolic links.</summary>
    Read = 1,
    /// <summary>Create, write, truncate, rename, link and remove.</summary>
    Write = 2,
    ReadWrite = Read | Write,
}
