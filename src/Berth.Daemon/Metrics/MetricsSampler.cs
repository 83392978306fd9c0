using Berth.Daemon.Hosting;

namespace Berth.Daemon.Metrics;

/// <summary>
/// Takes a point of every container and the host each interval (60 s by default): rates are computed here from the
/// counters of the previous pass, so clients get cores and bytes per second, not raw counters.
/// </summary>
public sealed partial class MetricsSampler(MetricsCollector collector, MetricsHistory history, DiskUsage disk, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<MetricsSampler> logger)
    : PeriodicService(time, logger)
{
    // The first pass waits until every hosted service has started: a first start has no tables before the migrations.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await base.ExecuteAsync(stoppingToken).ConfigureAwait(false);
    }

    private readonly Dictionary<string, (DateTimeOffset At, double Cpu, long Rx, long Tx)> _previous = new(StringComparer.Ordinal);

    // Reused each pass: a pass allocates nothing of its own per container.
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private DateTimeOffset _lastSave;

    protected override TimeSpan Interval => history.Interval;

    /// <summary>At most every 5 minutes, and at least every 10 passes when the interval is short (tests).</summary>
    private TimeSpan SaveEvery => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, history.Interval.Ticks * 10));

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (history.Load())
        {
            LogLoaded(logger, history.Count, history.FilePath);
        }

        _lastSave = Time.GetUtcNow();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        history.Save();
    }

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var reading = await collector.ReadAsync(fresh: true, cancellationToken).ConfigureAwait(false);
        var at = reading.At;
        float hostCpu = 0, hostMemory = 0, hostRx = 0, hostTx = 0, hostDisk = 0;
        var names = _names;
        names.Clear();
        Span<float> values = stackalloc float[SeriesHistory.PointFields];
        foreach (var c in reading.Containers)
        {
            names.Add(c.Name);
            long rx = 0, tx = 0;
            foreach (var nic in c.Interfaces)
            {
                rx += nic.RxBytes;
                tx += nic.TxBytes;
            }

            values.Fill(float.NaN);
            if (c.CpuSeconds is { } cpu)
            {
                values[1] = c.MemoryBytes ?? float.NaN;
                // A counter that went down belongs to a new start: no rate this pass.
                if (_previous.TryGetValue(c.Name, out var before) && at > before.At && cpu >= before.Cpu && rx >= before.Rx && tx >= before.Tx)
                {
                    var seconds = (at - before.At).TotalSeconds;
                    values[0] = (float)((cpu - before.Cpu) / seconds);
                    values[2] = (float)((rx - before.Rx) / seconds);
                    values[3] = (float)((tx - before.Tx) / seconds);
                }

                _previous[c.Name] = (at, cpu, rx, tx);
            }
            else
            {
                // Stopped: it uses nothing, which is a value worth drawing.
                values.Fill(0);
                _previous.Remove(c.Name);
            }

            history.Add(c.Name, at, values, c.DiskBytes ?? float.NaN);
            hostCpu += float.IsNaN(values[0]) ? 0 : values[0];
            hostMemory += float.IsNaN(values[1]) ? 0 : values[1];
            hostRx += float.IsNaN(values[2]) ? 0 : values[2];
            hostTx += float.IsNaN(values[3]) ? 0 : values[3];
            hostDisk += c.DiskBytes ?? 0;
        }

        history.Add(MetricsHistory.HostKey, at, [hostCpu, hostMemory, hostRx, hostTx], hostDisk);
        history.Keep(names);
        foreach (var name in _previous.Keys)
        {
            if (!names.Contains(name))
            {
                _previous.Remove(name);
            }
        }

        disk.Refresh(names, collector.RootfsPath, cancellationToken);
        if (Time.GetUtcNow() - _lastSave >= SaveEvery)
        {
            history.Save();
            _lastSave = Time.GetUtcNow();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics history: {Count} series read from {File}")]
    private static partial void LogLoaded(ILogger logger, int count, string file);
}
