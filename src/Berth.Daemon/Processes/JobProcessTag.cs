namespace Berth.Daemon.Processes;

/// <summary>
/// Marks the programs a job starts with BERTH_JOB=ID in their environment (inherited by what they start in turn), so
/// recovery after a kill -9 can find the job's own leftover children (cp, tar, zstd) and stop them before it removes
/// what they were writing. Set for the duration of one job's work; it flows with the job's async calls.
/// </summary>
public static class JobProcessTag
{
    public const string Variable = "BERTH_JOB";

    private static readonly AsyncLocal<string?> Current = new();

    /// <summary>The job whose work is running on this async flow, if it asked to tag its children.</summary>
    public static string? JobId => Current.Value;

    /// <summary>Tags the children started from here on in this async flow; the tag ends when the calling method returns.</summary>
    public static void Enter(string jobId) => Current.Value = jobId;

    /// <summary>The environment entry a child of <paramref name="jobId"/> carries.</summary>
    public static string Entry(string jobId) => $"{Variable}={jobId}";
}
