using System.Diagnostics;
using Berth.Contracts;

namespace Berth.Client;

/// <summary>Job calls, and waiting for a job to end.</summary>
public sealed partial class BerthClient
{
    // Short enough that progress messages surface while a job runs.
    private const int WaitPollSeconds = 2;

    // A daemon that answers a long poll at once must not turn the wait into a busy loop.
    private static readonly TimeSpan MinimumPollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<IReadOnlyList<JobInfo>> ListJobsAsync(int? limit = null, CancellationToken cancellationToken = default)
    {
        string query = limit is { } n ? $"?limit={FormatInvariant(n)}" : "";
        return await GetAsync<JobInfo[]>($"api/v1/jobs{query}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets a job; with <paramref name="waitSeconds"/>, the daemon answers when it ends or after that long.</summary>
    public Task<JobInfo> GetJobAsync(string id, int? waitSeconds = null, CancellationToken cancellationToken = default)
    {
        string query = waitSeconds is { } wait ? $"?wait={FormatInvariant(wait)}" : "";
        var extraTime = TimeSpan.FromSeconds(waitSeconds ?? 0);
        return GetAsync<JobInfo>($"api/v1/jobs/{Escape(id)}{query}", cancellationToken, extraTime);
    }

    /// <summary>Polls the job until it has succeeded or failed and returns it; reports every state seen on the way.</summary>
    public async Task<JobInfo> WaitForJobAsync(JobInfo job, IProgress<JobInfo>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        progress?.Report(job);
        while (!IsFinished(job))
        {
            long started = Stopwatch.GetTimestamp();
            job = await GetJobAsync(job.Id, WaitPollSeconds, cancellationToken).ConfigureAwait(false);
            progress?.Report(job);
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (!IsFinished(job) && elapsed < MinimumPollInterval)
            {
                await Task.Delay(MinimumPollInterval - elapsed, cancellationToken).ConfigureAwait(false);
            }
        }

        return job;
    }

    private static bool IsFinished(JobInfo job) => job.Status is JobStatus.Succeeded or JobStatus.Failed;
}
