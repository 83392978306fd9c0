using System.Globalization;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Updates;

/// <summary>Rows of update runs.</summary>
public sealed class UpdateStore(Database database)
{
    private const string Columns = "job_id AS JobId, container, started_at AS StartedAt, finished_at AS FinishedAt, result, error, summary, snapshot, log_path AS LogPath";

    public async Task InsertAsync(UpdateRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO update_runs (job_id, container, started_at, finished_at, result, error, summary, snapshot, log_path)
            VALUES (@JobId, @Container, @StartedAt, NULL, @Result, NULL, NULL, @Snapshot, @LogPath)
            """,
            new { run.JobId, run.Container, StartedAt = run.StartedAt.ToString("O"), run.Result, run.Snapshot, run.LogPath },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task SetSnapshotAsync(string jobId, string? snapshot, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE update_runs SET snapshot = @snapshot WHERE job_id = @jobId", new { jobId, snapshot }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task FinishAsync(string jobId, string result, string? error, string? summary, DateTimeOffset finishedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE update_runs SET result = @result, error = @error, summary = @summary, finished_at = @finishedAt WHERE job_id = @jobId",
            new { jobId, result, error, summary, finishedAt = finishedAt.ToString("O") },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<UpdateRecord?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM update_runs WHERE job_id = @jobId", new { jobId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    /// <summary>The newest run of each container (of one, when <paramref name="container"/> is given).</summary>
    public async Task<IReadOnlyDictionary<string, UpdateRecord>> LastRunsAsync(string? container, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM update_runs WHERE @container IS NULL OR container = @container ORDER BY started_at",
            new { container }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var last = new Dictionary<string, UpdateRecord>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            last[row.Container] = row.ToRecord();
        }

        return last;
    }

    /// <summary>Snapshots of earlier successful runs of <paramref name="container"/>, which a newer successful run replaces.</summary>
    public async Task<IReadOnlyList<(string JobId, string Snapshot)>> KeptSnapshotsAsync(string container, string exceptJob, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT job_id, snapshot FROM update_runs WHERE container = @container AND job_id <> @exceptJob AND snapshot IS NOT NULL",
            new { container, exceptJob }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows];
    }

    /// <summary>Every run's job id: logs of any other job belong to deleted containers.</summary>
    public async Task<IReadOnlySet<string>> JobIdsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var ids = await connection.QueryAsync<string>(new CommandDefinition("SELECT job_id FROM update_runs", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ids.ToHashSet(StringComparer.Ordinal);
    }

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private sealed record Row
    {
        public string JobId { get; init; } = "";
        public string Container { get; init; } = "";
        public string StartedAt { get; init; } = "";
        public string? FinishedAt { get; init; }
        public string Result { get; init; } = "";
        public string? Error { get; init; }
        public string? Summary { get; init; }
        public string? Snapshot { get; init; }
        public string LogPath { get; init; } = "";

        public UpdateRecord ToRecord() => new(JobId, Container, Parse(StartedAt), FinishedAt is null ? null : Parse(FinishedAt), Result, Error, Summary, Snapshot, LogPath);
    }
}
