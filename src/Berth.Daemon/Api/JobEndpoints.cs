using Berth.Contracts;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Berth.Daemon.Access;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Api;

/// <summary>/api/v1/jobs.</summary>
public static class JobEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/jobs").WithTags("Jobs");
        group.MapGet("", async (int? limit, Caller caller, JobStore store, CancellationToken ct) =>
        {
            if (limit is < 1 or > 1000)
            {
                throw DomainError.Invalid("Invalid limit", "limit must be between 1 and 1000.");
            }

            var jobs = await store.ListRecentAsync(limit ?? 50, ct, requestedBy: caller.IsAdmin ? null : caller.Name).ConfigureAwait(false);
            return jobs.Select(j => j.ToInfo());
        }).Reads();
        group.MapGet("/{id}", async (string id, double? wait, JobQueue queue, CancellationToken ct) =>
        {
            if (wait is < 0 or > 600)
            {
                throw DomainError.Invalid("Invalid wait", "wait must be between 0 and 600 seconds.");
            }

            var job = await queue.WaitAsync(id, TimeSpan.FromSeconds(wait ?? 0), ct).ConfigureAwait(false)
                ?? throw JobOwners.JobNotFound(id);
            return job.ToInfo();
        }).Reads(ObjectKind.Job, "id");
    }
}
