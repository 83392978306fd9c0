using System.Collections.Concurrent;
using Berth.Contracts;
using Berth.Daemon.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Metrics;

/// <summary>
/// Every series' history in memory (<see cref="SeriesHistory.Bytes"/> each, about 45 MB for 500 containers), saved
/// to STATE_DIR/metrics.history now and then and at stop, and read back at start so a restart keeps it.
/// </summary>
public sealed class MetricsHistory(StatePaths paths, IOptions<MetricsOptions> options)
{
    /// <summary>The host's series key: not a valid container name, so never one's.</summary>
    public const string HostKey = "@host";

    private const int FormatVersion = 1;

    private readonly ConcurrentDictionary<string, SeriesHistory> _series = new(StringComparer.Ordinal);

    public TimeSpan Interval { get; } = options.Value.IntervalPeriod;

    public string FilePath => Path.Combine(paths.Root, "metrics.history");

    public int Count => _series.Count;

    public long PointSlot(DateTimeOffset at) => (long)Math.Round(at.ToUnixTimeMilliseconds() / Interval.TotalMilliseconds);

    public static long HourSlot(DateTimeOffset at) => at.ToUnixTimeSeconds() / 3600;

    public void Add(string key, DateTimeOffset at, ReadOnlySpan<float> values, float disk) =>
        _series.GetOrAdd(key, _ => new SeriesHistory()).Add(PointSlot(at), HourSlot(at), values, disk);

    /// <summary>Drops the series of containers that no longer exist.</summary>
    public void Keep(IReadOnlySet<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (key, _) in _series)
        {
            if (key != HostKey && !keys.Contains(key))
            {
                _series.TryRemove(key, out _);
            }
        }
    }

    public MetricsHistoryInfo Query(string key, string name, DateTimeOffset now, TimeSpan since, bool hourly)
    {
        var points = new List<MetricsPoint>();
        if (_series.TryGetValue(key, out var series))
        {
            var from = now - since;
            var rows = hourly ? series.Hours(HourSlot(from), HourSlot(now)) : series.Points(PointSlot(from), PointSlot(now));
            foreach (var (slot, v) in rows)
            {
                points.Add(new MetricsPoint
                {
                    At = hourly ? DateTimeOffset.FromUnixTimeSeconds(slot * 3600) : DateTimeOffset.FromUnixTimeMilliseconds((long)(slot * Interval.TotalMilliseconds)),
                    CpuCores = Value(v[0]),
                    MemoryBytes = Value(v[1]),
                    RxBytesPerSecond = Value(v[2]),
                    TxBytesPerSecond = Value(v[3]),
                    DiskBytes = v.Length > SeriesHistory.PointFields ? Value(v[SeriesHistory.PointFields]) : null,
                });
            }
        }

        return new MetricsHistoryInfo { Name = name, Step = hourly ? "1h" : "1m", IntervalSeconds = (int)Interval.TotalSeconds, Points = points };
    }

    /// <summary>Writes every series to a new file and renames it over the old one, so a crash mid-write keeps the last good file.</summary>
    public void Save()
    {
        var temporary = FilePath + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new BinaryWriter(stream))
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            writer.Write("berth-metrics");
            writer.Write(FormatVersion);
            writer.Write(Interval.TotalMilliseconds);
            var series = _series.ToArray();
            writer.Write(series.Length);
            foreach (var (key, history) in series)
            {
                writer.Write(key);
                history.Write(writer);
            }
        }

        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>Reads the saved history; a missing, foreign or damaged file starts an empty one.</summary>
    public bool Load()
    {
        if (!File.Exists(FilePath))
        {
            return false;
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(FilePath));
            if (reader.ReadString() != "berth-metrics" || reader.ReadInt32() != FormatVersion)
            {
                return false;
            }

            // Points are slots of the interval they were taken at: with another interval only the hourly means still hold.
            var keepPoints = reader.ReadDouble() == Interval.TotalMilliseconds;
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                _series[key] = SeriesHistory.Read(reader, keepPoints);
            }

            return true;
        }
        catch (EndOfStreamException)
        {
            _series.Clear();
            return false;
        }
    }

    private static double? Value(float value) => float.IsNaN(value) ? null : value;
}
