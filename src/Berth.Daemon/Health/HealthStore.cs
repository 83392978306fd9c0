using System.Globalization;
using Berth.Contracts;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Health;

/// <summary>Rows of container_health: one per watched container, written when its state changes.</summary>
public sealed class HealthStore(Database database)
{
    private const string Columns =
        "container, boot_id AS BootId, health, failures, restarts, streak, gave_up AS GaveUp, expect_running AS ExpectRunning, running_since AS RunningSince, " +
        "restart_due AS RestartDue, restart_reason AS RestartReason, restart_job AS RestartJob, failure, failure_at AS FailureAt";

    public async Task<IReadOnlyDictionary<string, HealthRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM container_health", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => r.ToRecord()).ToDictionary(r => r.Container, StringComparer.Ordinal);
    }

    public async Task<HealthRecord?> GetAsync(string container, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM container_health WHERE container = @container", new { container }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task SaveAsync(HealthRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO container_health (container, boot_id, health, failures, restarts, streak, gave_up, expect_running, running_since, restart_due, restart_reason, restart_job, failure, failure_at)
            VALUES (@Container, @BootId, @Health, @Failures, @Restarts, @Streak, @GaveUp, @ExpectRunning, @RunningSince, @RestartDue, @RestartReason, @RestartJob, @Failure, @FailureAt)
            ON CONFLICT (container) DO UPDATE SET boot_id = excluded.boot_id, health = excluded.health, failures = excluded.failures, restarts = excluded.restarts,
                streak = excluded.streak, gave_up = excluded.gave_up, expect_running = excluded.expect_running, running_since = excluded.running_since,
                restart_due = excluded.restart_due, restart_reason = excluded.restart_reason, restart_job = excluded.restart_job, failure = excluded.failure,
                failure_at = excluded.failure_at
            """,
            new
            {
                record.Container,
                record.BootId,
                Health = record.Health?.ToString(),
                record.Failures,
                record.Restarts,
                record.Streak,
                GaveUp = record.GaveUp ? 1 : 0,
                ExpectRunning = record.ExpectRunning ? 1 : 0,
                RunningSince = record.RunningSince?.ToString("O"),
                RestartDue = record.RestartDue?.ToString("O"),
                record.RestartReason,
                record.RestartJob,
                record.Failure,
                FailureAt = record.FailureAt?.ToString("O"),
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string container, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM container_health WHERE container = @container", new { container }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static DateTimeOffset? Parse(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private sealed record Row
    {
        public string Container { get; init; } = "";
        public string BootId { get; init; } = "";
        public string? Health { get; init; }
        public long Failures { get; init; }
        public long Restarts { get; init; }
        public long Streak { get; init; }
        public long GaveUp { get; init; }
        public long ExpectRunning { get; init; }
        public string? RunningSince { get; init; }
        public string? RestartDue { get; init; }
        public string RestartReason { get; init; } = "";
        public string? RestartJob { get; init; }
        public string? Failure { get; init; }
        public string? FailureAt { get; init; }

        public HealthRecord ToRecord() => new(
            Container,
            BootId,
            Enum.TryParse<ContainerHealth>(Health, out var health) ? health : null,
            (int)Failures,
            (int)Restarts,
            (int)Streak,
            GaveUp != 0,
            ExpectRunning != 0,
            Parse(RunningSince),
            Parse(RestartDue),
            RestartReason,
            RestartJob,
            Failure,
            Parse(FailureAt));
    }
}
