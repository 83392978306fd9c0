using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Proxy;

/// <summary>Reads and writes the banned domain patterns.</summary>
public sealed class DomainBanStore(Database database)
{
    public async Task<IReadOnlyList<(string Pattern, DateTimeOffset CreatedAt)>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT pattern, created_at FROM domain_bans ORDER BY pattern", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => (r.Item1, DateTimeOffset.Parse(r.Item2, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    public async Task<bool> TryInsertAsync(string pattern, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO domain_bans (pattern, created_at) VALUES (@pattern, @createdAt) ON CONFLICT DO NOTHING",
            new { pattern, createdAt = createdAt.ToString("O") },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    public async Task<bool> DeleteAsync(string pattern, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM domain_bans WHERE pattern = @pattern", new { pattern }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }
}
