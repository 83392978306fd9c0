using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Containers;
using Berth.Daemon.Errors;
using Berth.Daemon.Jobs;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Updates;

/// <summary>What the API asks of updates: checked here (a problem, nothing changed), then handed to an update.run job.</summary>
public sealed class UpdateService(
    ContainerStore containers,
    UpdateStore store,
    ContainerApt apt,
    LxcRuntime runtime,
    JobQueue jobs,
    TimeProvider time,
    IOptions<UpdateOptions> options)
{
    public async Task<JobRecord> RunAsync(Caller caller, string container, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(caller, container, cancellationToken).ConfigureAwait(false);
        if (record.Status != ContainerRecordStatus.Ready || !runtime.IsDefined(container))
        {
            throw DomainError.Conflict("Container busy", $"'{container}' is being created or deleted, or is missing; wait for its job (GET /api/v1/jobs).");
        }

        if (!await apt.IsSupportedAsync(container, cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Updates not supported", $"'{container}': updates are {ContainerApt.Unsupported}; Berth updates Debian-based containers only.");
        }

        if (runtime.GetStatus(container) != ContainerStatus.Running)
        {
            throw DomainError.Conflict("Container not running", $"'{container}' is not running; updates run inside it, so start it first.");
        }

        return await jobs.SubmitAsync(UpdateJobKinds.Run, container, new UpdateArgs { Container = container }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One container's update status; <paramref name="pending"/> also asks apt what it would upgrade (apt-get update first).</summary>
    public async Task<UpdateStatusInfo> StatusAsync(Caller caller, string container, bool pending, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(caller, container, cancellationToken).ConfigureAwait(false);
        var last = (await store.LastRunsAsync(container, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(container);
        var status = await DescribeAsync(caller, record, last, cancellationToken).ConfigureAwait(false);
        if (!pending || !status.Supported)
        {
            return status;
        }

        if (runtime.GetStatus(container) != ContainerStatus.Running)
        {
            throw DomainError.Conflict("Container not running", $"'{container}' is not running; apt is asked inside it, so start it first.");
        }

        if (jobs.IsBusy(container))
        {
            throw DomainError.Conflict("Container busy", $"a job is acting on '{container}' (an update, perhaps); ask again when it ends (GET /api/v1/jobs).");
        }

        return status with { Pending = await apt.PendingAsync(container, cancellationToken).ConfigureAwait(false) };
    }

    /// <summary>Every container the caller may see, with its last run and when the next is due.</summary>
    public async Task<IReadOnlyList<UpdateStatusInfo>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var records = (await containers.ListAsync(cancellationToken, owner: caller.IsAdmin ? null : caller.Name).ConfigureAwait(false)).Where(r => caller.MayUse(r.Owner));
        var last = await store.LastRunsAsync(null, cancellationToken).ConfigureAwait(false);
        var result = new List<UpdateStatusInfo>();
        foreach (var record in records.Where(r => r.Status == ContainerRecordStatus.Ready).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            result.Add(await DescribeAsync(caller, record, last.GetValueOrDefault(record.Name), cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    public async Task<UpdateLogInfo> LogAsync(Caller caller, string container, CancellationToken cancellationToken)
    {
        await RequireAsync(caller, container, cancellationToken).ConfigureAwait(false);
        var last = (await store.LastRunsAsync(container, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(container)
            ?? throw DomainError.NotFound("No update yet", $"'{container}' has not been updated by Berth yet; POST /api/v1/containers/{container}/updates runs one.");
        string text;
        try
        {
            text = await File.ReadAllTextAsync(last.LogPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw DomainError.NotFound("Update log gone", $"the log of '{container}''s last update (job {last.JobId}) is no longer there.");
        }

        return new UpdateLogInfo { Container = container, JobId = last.JobId, Text = text };
    }

    private async Task<ContainerRecord> RequireAsync(Caller caller, string container, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var record = ContainerName.IsValid(container) ? await containers.GetAsync(container, cancellationToken).ConfigureAwait(false) : null;
        return record is not null && caller.MayUse(record.Owner) ? record : throw ContainerName.NotFound(container);
    }

    private async Task<UpdateStatusInfo> DescribeAsync(Caller caller, ContainerRecord record, UpdateRecord? last, CancellationToken cancellationToken)
    {
        var settings = UpdateSettings.Of(record.Config, options.Value);
        var supported = runtime.IsDefined(record.Name) && await apt.IsSupportedAsync(record.Name, cancellationToken).ConfigureAwait(false);
        return new UpdateStatusInfo
        {
            Container = record.Name,
            Supported = supported,
            Reason = supported ? null : ContainerApt.Unsupported,
            Auto = settings.Auto,
            Every = settings.Every,
            Window = settings.Window.ToString(),
            LastRun = last is null ? null : Describe(last, caller.IsAdmin),
            NextDueAt = settings.Auto && supported ? settings.NextDue(last?.StartedAt, time.GetUtcNow()) : null,
        };
    }

    /// <summary>Host paths are for admins only.</summary>
    private static UpdateRunInfo Describe(UpdateRecord run, bool withPath) => new()
    {
        JobId = run.JobId,
        StartedAt = run.StartedAt,
        FinishedAt = run.FinishedAt,
        Result = run.Result,
        Error = run.Error,
        Summary = run.Summary,
        Snapshot = run.Snapshot,
        LogPath = withPath ? run.LogPath : null,
    };
}
