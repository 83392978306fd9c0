using System.Globalization;
using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Stacks;

/// <summary>Reads and writes the stacks table: one row per stack with its applied state as JSON.</summary>
public sealed class StackStore(Database database)
{
    public async Task<StackRecord?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "SELECT name, owner, state, updated_at AS UpdatedAt FROM stacks WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<StackRecord>> ListAsync(string? owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT name, owner, state, updated_at AS UpdatedAt FROM stacks WHERE @owner IS NULL OR owner = @owner ORDER BY name", new { owner }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task SaveAsync(StackRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO stacks (name, owner, state, updated_at) VALUES (@Name, @Owner, @State, @UpdatedAt)
            ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
            """,
            new { record.Name, record.Owner, State = JsonSerializer.Serialize(record.State, BerthJson.Options), UpdatedAt = record.UpdatedAt.ToString("O", CultureInfo.InvariantCulture) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM stacks WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private sealed record Row
    {
        public required string Name { get; init; }
        public string? Owner { get; init; }
        public required string State { get; init; }
        public required string UpdatedAt { get; init; }

        public StackRecord ToRecord() => new(
            Name,
            Owner,
            JsonSerializer.Deserialize<StackState>(State, BerthJson.Options)!,
            DateTimeOffset.Parse(UpdatedAt, CultureInfo.InvariantCulture));
    }
}
