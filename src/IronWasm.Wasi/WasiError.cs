namespace IronWasm.Wasi;

/// <summary>Ends a WASI call early with an errno. Thrown only inside the host functions, which turn it
/// into their return value; it never reaches the guest or the embedder.</summary>
internal sealed class WasiError(Errno errno) : Exception(errno.ToString())
{
    public Errno Errno { get; } = errno;

    public static WasiError FromLastError() => new(Native.Libc.ToErrno(Native.Libc.LastError));
}
