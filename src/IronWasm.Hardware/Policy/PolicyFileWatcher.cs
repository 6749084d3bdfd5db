namespace IronWasm.Hardware.Policy;

/// <summary>Reloads a policy file into an engine when it changes. Editors save in several ways
/// (truncate and write, write a temporary file and rename it over), so every kind of change to
/// the file's name restarts a short settle timer, and the reload runs once the file is quiet.</summary>
internal sealed class PolicyFileWatcher : IDisposable
{
    private readonly PolicyEngine _engine;
    private readonly string _path;
    private readonly TimeSpan _settle;
    private readonly Action<PolicyReplacement>? _onReloaded;
    private readonly Action<Exception>? _onError;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _timer;
    private readonly object _gate = new();
    private bool _disposed;

    public PolicyFileWatcher(PolicyEngine engine, string path, TimeSpan settle, Action<PolicyReplacement>? onReloaded, Action<Exception>? onError)
    {
        _engine = engine;
        _path = path;
        _settle = settle;
        _onReloaded = onReloaded;
        _onError = onError;
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"'{path}' has no directory", nameof(path));
        _timer = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(directory, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Schedule();
        _watcher.Created += (_, _) => Schedule();
        _watcher.Renamed += (_, e) =>
        {
            if (string.Equals(e.FullPath, _path, StringComparison.Ordinal)) Schedule();
        };
        _watcher.EnableRaisingEvents = true;
    }

    private void Schedule()
    {
        lock (_gate)
        {
            if (!_disposed) _timer.Change(_settle, Timeout.InfiniteTimeSpan);
        }
    }

    private void Reload()
    {
        lock (_gate)
        {
            if (_disposed) return;
        }
        try
        {
            var replacement = _engine.ReloadFrom(_path);
            _onReloaded?.Invoke(replacement);
        }
        catch (Exception e)
        {
            // The engine has audited the failure and kept the previous policy.
            _onError?.Invoke(e);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _watcher.Dispose();
        _timer.Dispose();
    }
}
