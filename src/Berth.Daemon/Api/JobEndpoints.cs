using Berth.Contracts;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;

namespace Berth.Daemon.Api;

/// <summary>/api/v1/jobs.</summary>
public static class JobEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/jobs").WithTags("Jobs");
        group.MapGet("", async (int? limit, JobStore store, CancellationToken ct) =>
        {
            if (limit is < 1 or > 1000)
            {
                throw BerthProblem.BadRequest("Invalid limit", "limit must be between 1 and 1000.");
            }

            var jobs = await store.ListRecentAsync(limit ?? 50, ct).ConfigureAwait(false);
            return jobs.Select(j => j.ToInfo());
        });
        group.MapGet("/{id}", async (string id, double? wait, JobQueue queue, CancellationToken ct) =>
        {
            if (wait is < 0 or > 600)
            {
                throw BerthProblem.BadRequest("Invalid wait", "wait must be between 0 and 600 seconds.");
            }

            var job = await queue.WaitAsync(id, TimeSpan.FromSeconds(wait ?? 0), ct).ConfigureAwait(false)
                ?? throw BerthProblem.NotFound("Job not found", $"there is no job '{id}'; 'berth jobs' lists recent jobs.");
            return job.ToInfo();
        });
    }
}
