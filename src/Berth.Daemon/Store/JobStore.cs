using System.Globalization;
using Berth.Contracts;
using Dapper;

namespace Berth.Daemon.Store;

/// <summary>Reads and writes job rows.</summary>
public sealed class JobStore(Database database)
{
    private const string Columns = "id, kind, target, status, args, progress, error, created_at AS CreatedAt, started_at AS StartedAt, finished_at AS FinishedAt, requested_by AS RequestedBy";

    public async Task InsertAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO jobs (id, kind, target, status, args, progress, error, created_at, started_at, finished_at, requested_by)
            VALUES (@Id, @Kind, @Target, @Status, @Args, @Progress, @Error, @CreatedAt, @StartedAt, @FinishedAt, @RequestedBy)
            """,
            new
            {
                job.Id,
                job.Kind,
                job.Target,
                Status = StatusText(job.Status),
                job.Args,
                job.Progress,
                job.Error,
                CreatedAt = job.CreatedAt.ToString("O"),
                StartedAt = job.StartedAt?.ToString("O"),
                FinishedAt = job.FinishedAt?.ToString("O"),
                job.RequestedBy,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<JobRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM jobs WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : FromRow(row);
    }

    /// <summary>The newest jobs; only those <paramref name="requestedBy"/> asked for when given.</summary>
    public async Task<IReadOnlyList<JobRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken = default, string? requestedBy = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            requestedBy is null
                ? $"SELECT {Columns} FROM jobs ORDER BY created_at DESC LIMIT @limit"
                : $"SELECT {Columns} FROM jobs WHERE requested_by = @requestedBy ORDER BY created_at DESC LIMIT @limit",
            new { limit, requestedBy },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(FromRow)];
    }

    public async Task<IReadOnlyList<JobRecord>> ListByStatusAsync(JobStatus status, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM jobs WHERE status = @status ORDER BY created_at", new { status = StatusText(status) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(FromRow)];
    }

    public async Task MarkRunningAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET status = @status, started_at = @at WHERE id = @id",
            new { id, status = StatusText(JobStatus.Running), at = at.ToString("O") },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task SetProgressAsync(string id, string progress, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET progress = @progress WHERE id = @id", new { id, progress }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task MarkFinishedAsync(string id, JobStatus status, string? error, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET status = @status, error = @error, finished_at = @at, started_at = COALESCE(started_at, @at) WHERE id = @id",
            new { id, status = StatusText(status), error, at = at.ToString("O") },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Deletes the jobs that finished (succeeded or failed) before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> DeleteFinishedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM jobs WHERE status IN (@succeeded, @failed) AND finished_at < @cutoff",
            new { succeeded = StatusText(JobStatus.Succeeded), failed = StatusText(JobStatus.Failed), cutoff = cutoff.ToUniversalTime().ToString("O") },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static string StatusText(JobStatus status) => status.ToString().ToLowerInvariant();

    private static JobRecord FromRow(Row row) => new()
    {
        Id = row.Id,
        Kind = row.Kind,
        Target = row.Target,
        Status = Enum.Parse<JobStatus>(row.Status, ignoreCase: true),
        Args = row.Args,
        Progress = row.Progress,
        Error = row.Error,
        CreatedAt = Parse(row.CreatedAt)!.Value,
        StartedAt = Parse(row.StartedAt),
        FinishedAt = Parse(row.FinishedAt),
        RequestedBy = row.RequestedBy,
    };

    private static DateTimeOffset? Parse(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private sealed record Row
    {
        public string Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Target { get; init; } = "";
        public string Status { get; init; } = "";
        public string Args { get; init; } = "{}";
        public string? Progress { get; init; }
        public string? Error { get; init; }
        public string CreatedAt { get; init; } = "";
        public string? StartedAt { get; init; }
        public string? FinishedAt { get; init; }
        public string? RequestedBy { get; init; }
    }
}
