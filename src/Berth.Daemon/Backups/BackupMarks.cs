using System.Globalization;
using Berth.Contracts;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Backups;

/// <summary>
/// How the last backup action of each container (backup, prune, verify) and of each target (check, verify) ended: a
/// failure stays marked in list, info, the API and /metrics until the next success of a backup (or check) clears it.
/// </summary>
public sealed class BackupMarks(Database database, Events.EventBroker events, TimeProvider time)
{
    public const string ContainerKind = "container";
    public const string TargetKind = "target";

    /// <summary>The longest reason kept: restic's last lines, not a whole log.</summary>
    private const int ReasonLength = 500;

    /// <summary>
    /// Runs <paramref name="run"/> for job <paramref name="context"/>; a failure (not a cancel) marks <paramref name="subject"/>
    /// and raises container.ACTION-failed or backup-target.ACTION-failed before the job fails with it; a success clears the mark.
    /// </summary>
    public async Task RunAsync(Jobs.JobContext context, string kind, string subject, string action, string? target, Func<Task> run, bool markSuccess = true)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            await run().ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            await FailedAsync(kind, subject, action, target ?? "", ex.Message).ConfigureAwait(false);
            events.Publish("lifecycle", (kind == ContainerKind ? "container." : "backup-target.") + action + "-failed", subject, context.Job.Id, ex.Message);
            throw;
        }

        if (markSuccess)
        {
            await SucceededAsync(kind, subject, action, target ?? "").ConfigureAwait(false);
        }
    }

    /// <summary>A success: clears a failure mark and moves the last success on.</summary>
    public Task SucceededAsync(string kind, string subject, string action, string target) =>
        WriteAsync(kind, subject, action, target, null);

    /// <summary>A failure: marks the subject until its next success; the time of the last success stays.</summary>
    public Task FailedAsync(string kind, string subject, string action, string target, string reason) =>
        WriteAsync(kind, subject, action, target, reason.Length > ReasonLength ? reason[..ReasonLength] + "..." : reason);

    /// <summary>The mark of <paramref name="container"/>, unless it is older than the container (one deleted earlier had its name).</summary>
    public static BackupMark? For(ContainerInfo container, BackupMark? mark)
    {
        ArgumentNullException.ThrowIfNull(container);
        return mark is not null && (container.CreatedAt is not { } created || mark.Time >= created) ? mark : null;
    }

    public async Task<BackupMark?> OfAsync(string kind, string subject, CancellationToken cancellationToken) =>
        (await AllAsync(kind, cancellationToken).ConfigureAwait(false)).GetValueOrDefault(subject);

    /// <summary>Every subject's mark of one kind, by name.</summary>
    public async Task<IReadOnlyDictionary<string, BackupMark>> AllAsync(string kind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<MarkRow>(new CommandDefinition(
            "SELECT subject, action, target, at, ok, error, last_success AS LastSuccess FROM backup_marks WHERE kind = @kind",
            new { kind }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Subject, r => r.ToMark(), StringComparer.Ordinal);
    }

    private async Task WriteAsync(string kind, string subject, string action, string target, string? error)
    {
        var now = time.GetUtcNow().ToString("O");
        await using var connection = await database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO backup_marks (kind, subject, action, target, at, ok, error, last_success)
            VALUES (@kind, @subject, @action, @target, @now, @ok, @error, CASE WHEN @ok = 1 THEN @now END)
            ON CONFLICT (kind, subject) DO UPDATE SET action = excluded.action, target = excluded.target, at = excluded.at,
                ok = excluded.ok, error = excluded.error, last_success = COALESCE(excluded.last_success, backup_marks.last_success)
            """,
            new { kind, subject, action, target, now, ok = error is null ? 1 : 0, error })).ConfigureAwait(false);
    }

    private sealed record MarkRow
    {
        public string Subject { get; init; } = "";
        public string Action { get; init; } = "";
        public string? Target { get; init; }
        public string At { get; init; } = "";
        public long Ok { get; init; }
        public string? Error { get; init; }
        public string? LastSuccess { get; init; }

        public BackupMark ToMark() => new()
        {
            Time = DateTimeOffset.Parse(At, CultureInfo.InvariantCulture),
            Ok = Ok != 0,
            Action = Action,
            Error = Error,
            Target = Target,
            LastSuccess = LastSuccess is null ? null : DateTimeOffset.Parse(LastSuccess, CultureInfo.InvariantCulture),
        };
    }
}
