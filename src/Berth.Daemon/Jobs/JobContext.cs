using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Store;

namespace Berth.Daemon.Jobs;

/// <summary>What a running job sees: its record and arguments, a way to report progress, and cancellation.</summary>
public sealed class JobContext(JobRecord job, JobQueue queue, CancellationToken cancellationToken) : IProgress<string>
{
    public JobRecord Job { get; } = job;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public T Args<T>() => JsonSerializer.Deserialize<T>(Job.Args, BerthJson.Options)
        ?? throw new InvalidOperationException($"job {Job.Id} has no arguments");

    public void Report(string value) => queue.ReportProgress(Job, value);
}
