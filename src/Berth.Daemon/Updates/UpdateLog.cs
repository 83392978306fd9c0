using System.Globalization;

namespace Berth.Daemon.Updates;

/// <summary>The kept log of one update run (STATE_DIR/updates/JOB.log): each step's heading, then what it printed.</summary>
public sealed class UpdateLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public UpdateLog(string path, TimeProvider time)
    {
        Path = path;
        _time = time;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
        _writer = new StreamWriter(stream) { AutoFlush = true };
    }

    public string Path { get; }

    public static string PathOf(string stateDir, string jobId) => System.IO.Path.Combine(stateDir, "updates", jobId + ".log");

    /// <summary>A step's heading, with the time it began.</summary>
    public void Step(string text) => Line($"==> {_time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} {text}");

    public void Line(string text)
    {
        lock (_lock)
        {
            _writer.WriteLine(text);
        }
    }

    /// <summary>The last <paramref name="count"/> lines of a log, for a job's error.</summary>
    public static string Tail(string path, int count)
    {
        try
        {
            return string.Join('\n', File.ReadLines(path).Where(l => l.Length > 0).TakeLast(count));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Dispose() => _writer.Dispose();
}
