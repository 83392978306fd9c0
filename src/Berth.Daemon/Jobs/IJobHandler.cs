using Berth.Daemon.Store;

namespace Berth.Daemon.Jobs;

/// <summary>Runs jobs of some kinds, and finishes or undoes one that a daemon crash interrupted.</summary>
public interface IJobHandler
{
    IReadOnlyCollection<string> Kinds { get; }

    Task RunAsync(JobContext context);

    /// <summary>Called at start for a job found running: leaves nothing half-done and says what became of it.</summary>
    Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken);
}
