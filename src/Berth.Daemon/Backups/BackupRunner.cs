using System.Globalization;
using System.Text.Json;
using Berth.Daemon.Jobs;

namespace Berth.Daemon.Backups;

/// <summary>
/// What every run against a repository shares: taking the target's turn, restic's status lines as job progress, and
/// clearing a stale lock (one a killed restic left) once, when the run failed on it and a Berth turn is held.
/// </summary>
public sealed partial class BackupRunner(RepositoryTurns turns, BackupTargets targets, ILogger<BackupRunner> logger)
{
    public Task<IDisposable> TakeTurnAsync(string target, CancellationToken cancellationToken) => turns.TakeAsync(target, cancellationToken);

    public async Task<ResticSummary> BackupAsync(JobContext context, BackupTargetRecord target, string directory, IReadOnlyList<string> members, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        var restic = targets.Open(target);
        context.Report($"backing up to {target.Name}");
        return await WithUnlockAsync(restic, target.Name, () => restic.BackupAsync(directory, members, targets.HostId, tags, line => ReportStatus(context, line), cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="action"/>; when it fails on a repository lock, removes stale locks and runs it once more. The caller holds the target's turn.</summary>
    public async Task<T> WithUnlockAsync<T>(ResticRepository restic, string target, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(restic);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await ClearStaleLocksAsync(restic, target, cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.DomainError problem)
        {
            // The action itself says what is wrong with the target, in its own words.
            Log.UnlockFailed(logger, target, problem.Message);
        }

        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ResticRepository.IsLockFailure(ex) && turns.IsHeld(target))
        {
            Log.ClearingStaleLock(logger, target);
            await restic.UnlockAsync(cancellationToken).ConfigureAwait(false);
            return await action().ConfigureAwait(false);
        }
    }

    public async Task WithUnlockAsync(ResticRepository restic, string target, Func<Task> action, CancellationToken cancellationToken) =>
        await WithUnlockAsync(restic, target, async () =>
        {
            await action().ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>At start: clears every target's stale locks (none is held yet), each in its turn.</summary>
    public async Task UnlockAllAsync(CancellationToken cancellationToken)
    {
        foreach (var target in await targets.ListRecordsAsync(cancellationToken).ConfigureAwait(false))
        {
            using var turn = await turns.TakeAsync(target.Name, cancellationToken).ConfigureAwait(false);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromMinutes(1));
                await ClearStaleLocksAsync(targets.Open(target), target.Name, timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An unreachable target must not keep the others' locks.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.UnlockFailed(logger, target.Name, ex.Message);
            }
        }

        Log.SweepDone(logger);
    }

    /// <summary>
    /// Removes the locks a killed restic of this host left (a shared one never blocks the next backup, so nothing else
    /// would): only in the target's turn, so no Berth job here uses the repository. restic unlock goes first; only when
    /// every lock it left is still dead by our look does --remove-all follow. A live restic's lock or another host's stays.
    /// </summary>
    public async Task ClearStaleLocksAsync(ResticRepository restic, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(restic);
        if (!turns.IsHeld(target))
        {
            return;
        }

        var locks = await restic.LocksAsync(cancellationToken).ConfigureAwait(false);
        var host = ResticLock.ThisHost();
        var dead = locks.Where(l => l.IsDeadOn(host)).ToList();
        if (dead.Count == 0)
        {
            if (locks.Count > 0)
            {
                Log.KeepingLiveLocks(logger, target, locks.Count);
            }

            return;
        }

        // restic's own unlock removes this host's locks whose pid is gone and keeps every live one.
        Log.RemovingDeadLocks(logger, target, dead.Count, string.Join(", ", dead.Select(l => l.Pid)));
        await restic.UnlockAsync(cancellationToken).ConfigureAwait(false);
        var left = await restic.LocksAsync(cancellationToken).ConfigureAwait(false);
        if (left.Count > 0 && left.All(l => l.IsDeadOn(host)))
        {
            // What it kept is still dead by our look (a zombie, or a pid now another program's): only then all of them go.
            await restic.RemoveAllLocksAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (left.Count > 0)
        {
            Log.KeepingLiveLocks(logger, target, left.Count(l => !l.IsDeadOn(host)));
        }
    }

    private static void ReportStatus(JobContext context, string line)
    {
        if (!line.StartsWith('{') || !line.Contains("\"status\"", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var percent = root.TryGetProperty("percent_done", out var p) ? p.GetDouble() : 0;
            var done = root.TryGetProperty("bytes_done", out var b) ? b.GetInt64() : 0;
            var total = root.TryGetProperty("total_bytes", out var t) ? t.GetInt64() : 0;
            var files = root.TryGetProperty("files_done", out var f) ? f.GetInt64() : 0;
            context.Report(string.Create(CultureInfo.InvariantCulture, $"backing up: {Math.Min(99, (int)(percent * 100))}% ({done / 1024 / 1024} of {total / 1024 / 1024} MiB, {files} files)"));
        }
        catch (JsonException)
        {
            // A line restic did not finish writing: the next one says the same.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target} is locked and no Berth job holds it: clearing restic's stale locks")]
        public static partial void ClearingStaleLock(ILogger logger, string target);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target}: removing {Count} lock(s) of restic processes that are gone (pid {Pids})")]
        public static partial void RemovingDeadLocks(ILogger logger, string target, int count, string pids);

        [LoggerMessage(Level = LogLevel.Information, Message = "Target {Target}: keeping {Count} lock(s) of live restic processes or other hosts")]
        public static partial void KeepingLiveLocks(ILogger logger, string target, int count);

        [LoggerMessage(Level = LogLevel.Information, Message = "Start-up sweep of stale backup locks done")]
        public static partial void SweepDone(ILogger logger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not clear stale locks of target {Target}: {Reason}")]
        public static partial void UnlockFailed(ILogger logger, string target, string reason);
    }
}
