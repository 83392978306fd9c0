using Berth.Contracts;
using Berth.Daemon.Hosting;
using Berth.Daemon.Runtime;

namespace Berth.Daemon.Storage;

/// <summary>
/// A running container frozen while a job copies it. A file named after the job is written before the freeze and
/// removed after the thaw, so recovery after a crash thaws what the job froze, never a container its owner froze.
/// </summary>
public sealed class JobFreeze : IDisposable
{
    private readonly LxcRuntime _runtime;
    private readonly string _name;
    private readonly string _marker;

    private JobFreeze(LxcRuntime runtime, string name, string marker)
    {
        _runtime = runtime;
        _name = name;
        _marker = marker;
    }

    /// <summary>Freezes <paramref name="name"/> if it is running; null when it was not.</summary>
    public static JobFreeze? FreezeIfRunning(LxcRuntime runtime, StatePaths paths, string jobId, string name)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (runtime.GetStatus(name) != ContainerStatus.Running)
        {
            return null;
        }

        // Not synced: it only has to outlive the daemon, and a host that goes down thaws every container anyway.
        var marker = MarkerPath(paths, jobId);
        Directory.CreateDirectory(Path.GetDirectoryName(marker)!);
        File.WriteAllText(marker, name);
        try
        {
            runtime.Freeze(name);
        }
        catch
        {
            File.Delete(marker);
            throw;
        }

        return new JobFreeze(runtime, name, marker);
    }

    /// <summary>After a crash: thaws the container job <paramref name="jobId"/> froze, if it still is; true when it did.</summary>
    public static bool ThawAfterCrash(LxcRuntime runtime, StatePaths paths, string jobId, string name)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var marker = MarkerPath(paths, jobId);
        if (!File.Exists(marker))
        {
            return false;
        }

        var thaw = runtime.GetStatus(name) == ContainerStatus.Frozen;
        if (thaw)
        {
            runtime.Unfreeze(name);
        }

        File.Delete(marker);
        return thaw;
    }

    public void Dispose()
    {
        _runtime.Unfreeze(_name);
        File.Delete(_marker);
    }

    private static string MarkerPath(StatePaths paths, string jobId)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Path.Combine(paths.Root, "frozen-by-job", jobId);
    }
}
