using System.Text;

namespace IronWasm.Wasi.Tests;

/// <summary>A guest module that imports every WASI function and exports a Wasm wrapper of the same
/// name around each (so every test call goes guest -> host as a real guest's would), with one page of
/// memory exported as "memory". Standard output and error are captured.</summary>
internal sealed class WasiGuest : IDisposable
{
    /// <summary>Every wasi_snapshot_preview1 function with its core Wasm type.</summary>
    public static readonly (string Name, string Params, string Results)[] Functions =
    [
        ("args_get", "i32 i32", "i32"), ("args_sizes_get", "i32 i32", "i32"),
        ("environ_get", "i32 i32", "i32"), ("environ_sizes_get", "i32 i32", "i32"),
        ("clock_res_get", "i32 i32", "i32"), ("clock_time_get", "i32 i64 i32", "i32"),
        ("fd_advise", "i32 i64 i64 i32", "i32"), ("fd_allocate", "i32 i64 i64", "i32"), ("fd_close", "i32", "i32"),
        ("fd_datasync", "i32", "i32"), ("fd_fdstat_get", "i32 i32", "i32"), ("fd_fdstat_set_flags", "i32 i32", "i32"),
        ("fd_fdstat_set_rights", "i32 i64 i64", "i32"), ("fd_filestat_get", "i32 i32", "i32"),
        ("fd_filestat_set_size", "i32 i64", "i32"), ("fd_filestat_set_times", "i32 i64 i64 i32", "i32"),
        ("fd_pread", "i32 i32 i32 i64 i32", "i32"), ("fd_prestat_get", "i32 i32", "i32"),
        ("fd_prestat_dir_name", "i32 i32 i32", "i32"), ("fd_pwrite", "i32 i32 i32 i64 i32", "i32"),
        ("fd_read", "i32 i32 i32 i32", "i32"), ("fd_readdir", "i32 i32 i32 i64 i32", "i32"), ("fd_renumber", "i32 i32", "i32"),
        ("fd_seek", "i32 i64 i32 i32", "i32"), ("fd_sync", "i32", "i32"), ("fd_tell", "i32 i32", "i32"),
        ("fd_write", "i32 i32 i32 i32", "i32"),
        ("path_create_directory", "i32 i32 i32", "i32"), ("path_filestat_get", "i32 i32 i32 i32 i32", "i32"),
        ("path_filestat_set_times", "i32 i32 i32 i32 i64 i64 i32", "i32"), ("path_link", "i32 i32 i32 i32 i32 i32 i32", "i32"),
        ("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32", "i32"), ("path_readlink", "i32 i32 i32 i32 i32 i32", "i32"),
        ("path_remove_directory", "i32 i32 i32", "i32"), ("path_rename", "i32 i32 i32 i32 i32 i32", "i32"),
        ("path_symlink", "i32 i32 i32 i32 i32", "i32"), ("path_unlink_file", "i32 i32 i32", "i32"),
        ("poll_oneoff", "i32 i32 i32 i32", "i32"), ("proc_exit", "i32", ""), ("proc_raise", "i32", "i32"),
        ("sched_yield", "", "i32"), ("random_get", "i32 i32", "i32"),
        ("sock_accept", "i32 i32 i32", "i32"), ("sock_recv", "i32 i32 i32 i32 i32 i32", "i32"),
        ("sock_send", "i32 i32 i32 i32 i32", "i32"), ("sock_shutdown", "i32 i32", "i32"),
    ];

    private static readonly string AllFunctionsText = BuildText();

    private static string BuildText()
    {
        var text = new StringBuilder("(module\n");
        foreach (var (name, parameters, results) in Functions)
        {
            string signature = (parameters.Length > 0 ? $"(param {parameters})" : "") + (results.Length > 0 ? $" (result {results})" : "");
            text.Append($"  (import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} {signature}))\n");
        }
        text.Append("  (memory (export \"memory\") 1)\n");
        foreach (var (name, parameters, results) in Functions)
        {
            string signature = (parameters.Length > 0 ? $"(param {parameters})" : "") + (results.Length > 0 ? $" (result {results})" : "");
            int count = parameters.Length == 0 ? 0 : parameters.Split(' ').Length;
            var gets = string.Concat(Enumerable.Range(0, count).Select(i => $" local.get {i}"));
            text.Append($"  (func (export \"{name}\") {signature}{gets} call ${name})\n");
        }
        return text.Append(')').ToString();
    }

    public readonly MemoryStream Stdout = new();
    public readonly MemoryStream Stderr = new();
    public readonly Engine Engine = new();
    public readonly Store Store;
    public readonly WasiContext Context;
    public readonly Instance Instance;
    public readonly Memory Memory;

    public WasiGuest(Action<WasiConfiguration>? configure = null, string? text = null)
    {
        var configuration = new WasiConfiguration().WithStandardOutput(Stdout).WithStandardError(Stderr);
        configure?.Invoke(configuration);
        Context = new WasiContext(configuration);
        Store = new Store(Engine);
        var linker = new Linker(Engine).DefineWasi(Context);
        Instance = linker.Instantiate(Store, Module.FromText(Engine, "guest", text ?? AllFunctionsText));
        Memory = Instance.GetMemory("memory")!;
    }

    /// <summary>Calls the wrapper of WASI function <paramref name="name"/>; returns its errno.</summary>
    public Errno Call(string name, params object[] arguments) =>
        (Errno)(int)Instance.GetFunction(name)!.Invoke(arguments)!;

    public string StdoutText => Encoding.UTF8.GetString(Stdout.ToArray());

    // Guest memory scratch layout used by the tests: 0..1023 results, 1024.. strings and buffers.
    public const int Result = 0;
    public const int Result2 = 8;
    public const int Strings = 1024;
    public const int Strings2 = 4096;
    public const int Buffer = 8192;

    /// <summary>Writes <paramref name="value"/> at <paramref name="address"/>; returns its byte length.</summary>
    public int Put(int address, string value) => Memory.WriteString(address, value);

    public int ReadI32(int address) => Memory.ReadInt32(address);
    public long ReadI64(int address) => Memory.ReadInt64(address);
    public string ReadString(int address, int length) => Memory.ReadString(address, length);

    /// <summary>path_open relative to <paramref name="dirFd"/>; the new descriptor is at <see cref="Result"/>.</summary>
    public Errno Open(int dirFd, string path, int oflags = 0, long rights = -1, int lookup = 1, int fdflags = 0, long inheriting = -1)
    {
        int length = Put(Strings, path);
        var dirRights = Rights(dirFd);
        return Call("path_open", dirFd, lookup, Strings, length, oflags,
            rights == -1 ? dirRights.Inheriting : rights, inheriting == -1 ? dirRights.Inheriting : inheriting, fdflags, Result);
    }

    /// <summary>(base, inheriting) rights of <paramref name="fd"/> from fd_fdstat_get.</summary>
    public (long Base, long Inheriting) Rights(int fd)
    {
        var errno = Call("fd_fdstat_get", fd, 512);
        Assert.Equal(Errno.Success, errno);
        return (ReadI64(512 + 8), ReadI64(512 + 16));
    }

    /// <summary>Calls a path function that takes (fd, path, path_len).</summary>
    public Errno PathCall(string name, int fd, string path)
    {
        int length = Put(Strings, path);
        return Call(name, fd, Strings, length);
    }

    public void Dispose()
    {
        Context.Dispose();
        Store.Dispose();
    }
}
