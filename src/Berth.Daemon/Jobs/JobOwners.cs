using Berth.Daemon.Access;
using Berth.Daemon.Api;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Jobs;

/// <summary>A job belongs to the user whose request started it.</summary>
public sealed class JobOwners(JobStore jobs) : IOwnerLookup
{
    public ObjectKind Kind => ObjectKind.Job;

    public async Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken) =>
        await jobs.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } job ? new OwnerLookup(job.RequestedBy) : null;

    public Exception NotFound(string name) => JobNotFound(name);

    public static DomainError JobNotFound(string id) => DomainError.NotFound("Job not found", $"there is no job '{id}'; GET /api/v1/jobs lists recent jobs.");
}
