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
                await targets.Open(target).UnlockAsync(timeout.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // An unreachable target must not keep the others' locks.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.UnlockFailed(logger, target.Name, ex.Message);
            }
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

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not clear stale locks of target {Target}: {Reason}")]
        public static partial void UnlockFailed(ILogger logger, string target, string reason);
    }
}
