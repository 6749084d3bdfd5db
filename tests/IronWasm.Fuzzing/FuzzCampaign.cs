using System.Diagnostics;

namespace IronWasm.Fuzzing;

/// <summary>How a campaign runs: its seed, when it stops, how many threads, and its hooks.</summary>
internal sealed record CampaignSettings
{
    public ulong Seed { get; init; }
    /// <summary>Index of the first module (so a run can be resumed or a range replayed).</summary>
    public long FirstIndex { get; init; }
    /// <summary>Stop after this many modules.</summary>
    public long ModuleCount { get; init; } = long.MaxValue;
    /// <summary>Stop once this much time has passed.</summary>
    public TimeSpan Duration { get; init; } = Timeout.InfiniteTimeSpan;
    public int Threads { get; init; } = Environment.ProcessorCount;
    public PipelineLimits Limits { get; init; } = new();
    /// <summary>A module still running after this long is reported as a hang and the campaign stops.</summary>
    public TimeSpan HangTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Stop at the first failure (else collect failures and go on).</summary>
    public bool StopOnFailure { get; init; }
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);
    public Action<CampaignProgress>? Progress { get; init; }
    /// <summary>Called on a worker just before it runs module (worker, index): lets a harness record
    /// what is in flight somewhere that survives a crash of the process.</summary>
    public Action<int, long>? ModuleStarting { get; init; }
}

internal sealed record CampaignProgress(TimeSpan Elapsed, FuzzStats Stats)
{
    public double ModulesPerSecond => Elapsed.TotalSeconds > 0 ? Stats.Modules / Elapsed.TotalSeconds : 0;
}

internal sealed record CampaignReport(TimeSpan Elapsed, FuzzStats Stats, IReadOnlyList<FuzzFailure> Failures, bool Hung);

/// <summary>Runs mutated modules through <see cref="ModulePipeline"/> on worker threads until a count or
/// a time is reached, and watches for modules that never finish.</summary>
internal sealed class FuzzCampaign
{
    // Guests recurse until the call-depth limit traps; a stack of known size makes that deterministic
    // (the limit is reached long before this stack is).
    private const int WorkerStackBytes = 64 * 1024 * 1024;

    private readonly ModuleMutator _mutator;
    private readonly CampaignSettings _settings;
    private readonly List<FuzzFailure> _failures = new();
    private long _next;
    private volatile bool _stop;

    public FuzzCampaign(ModuleMutator mutator, CampaignSettings settings)
    {
        _mutator = mutator;
        _settings = settings;
        _next = settings.FirstIndex;
    }

    public CampaignReport Run()
    {
        int threads = Math.Max(1, _settings.Threads);
        var workers = new Worker[threads];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < threads; i++)
        {
            var worker = workers[i] = new Worker(this, i);
            worker.Thread.Start();
        }

        bool hung = false;
        var lastProgress = TimeSpan.Zero;
        while (!workers.All(w => w.Thread.Join(TimeSpan.FromMilliseconds(200))))
        {
            if (_settings.Duration != Timeout.InfiniteTimeSpan && clock.Elapsed >= _settings.Duration) _stop = true;
            foreach (var worker in workers)
            {
                if (worker.CurrentModuleRunningFor() is { } running && running > _settings.HangTimeout && !hung)
                {
                    hung = true;
                    long index = Volatile.Read(ref worker.CurrentIndex);
                    AddFailure(new FuzzFailure(_settings.Seed, index, _mutator.Create(_settings.Seed, index), "hang",
                        $"still running after {running.TotalSeconds:F0} s"));
                    _stop = true;
                }
            }
            if (hung) break; // the hung worker cannot be stopped; it is a background thread
            if (_settings.Progress is { } progress && clock.Elapsed - lastProgress >= _settings.ProgressInterval)
            {
                lastProgress = clock.Elapsed;
                progress(new CampaignProgress(clock.Elapsed, Sum(workers)));
            }
        }
        return new CampaignReport(clock.Elapsed, Sum(workers), Failures(), hung);
    }

    private IReadOnlyList<FuzzFailure> Failures()
    {
        lock (_failures) return _failures.ToArray();
    }

    private void AddFailure(FuzzFailure failure)
    {
        lock (_failures) _failures.Add(failure);
        if (_settings.StopOnFailure) _stop = true;
    }

    private static FuzzStats Sum(Worker[] workers)
    {
        var total = new FuzzStats();
        foreach (var worker in workers) total.Add(worker.Stats);
        return total;
    }

    private bool TryTake(out long index)
    {
        index = Interlocked.Increment(ref _next) - 1;
        return !_stop && index - _settings.FirstIndex < _settings.ModuleCount;
    }

    private sealed class Worker
    {
        private readonly FuzzCampaign _campaign;
        private readonly int _number;
        private long _startedAt = -1;
        public long CurrentIndex = -1;

        public Worker(FuzzCampaign campaign, int number)
        {
            _campaign = campaign;
            _number = number;
            Thread = new Thread(Loop, WorkerStackBytes) { IsBackground = true, Name = $"fuzz worker {number}" };
        }

        public Thread Thread { get; }
        public FuzzStats Stats { get; } = new();

        public TimeSpan? CurrentModuleRunningFor()
        {
            long started = Volatile.Read(ref _startedAt);
            return started < 0 ? null : Stopwatch.GetElapsedTime(started);
        }

        private void Loop()
        {
            var settings = _campaign._settings;
            var pipeline = new ModulePipeline(settings.Limits);
            while (_campaign.TryTake(out long index))
            {
                settings.ModuleStarting?.Invoke(_number, index);
                Volatile.Write(ref CurrentIndex, index);
                Volatile.Write(ref _startedAt, Stopwatch.GetTimestamp());
                byte[] module;
                try
                {
                    module = _campaign._mutator.Create(settings.Seed, index);
                }
                catch (Exception e)
                {
                    // The mutator reads bodies with the engine's instruction reader, so this may be an engine bug too.
                    Stats.Outcomes[(int)FuzzOutcome.Unexpected]++;
                    _campaign.AddFailure(new FuzzFailure(settings.Seed, index, [], "mutate", e.ToString()));
                    continue;
                }
                var outcome = pipeline.Run(module, Stats, out var stage, out var exception);
                Stats.Outcomes[(int)outcome]++;
                Volatile.Write(ref _startedAt, -1);
                if (outcome == FuzzOutcome.Unexpected)
                    _campaign.AddFailure(new FuzzFailure(settings.Seed, index, module, stage!, exception!.ToString()));
            }
        }
    }
}
