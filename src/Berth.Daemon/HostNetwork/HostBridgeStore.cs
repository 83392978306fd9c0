using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.HostNetwork;

/// <summary>The bridges host apply made, as last applied: what the daemon re-applies at start and the only ones an apply may remove.</summary>
public sealed class HostBridgeStore(Database database)
{
    public async Task<IReadOnlyList<HostBridgeSpec>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT name, interfaces, ipv4, ipv6, nat, network FROM host_bridges ORDER BY position", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToSpec())];
    }

    /// <summary>Replaces the whole applied set in one transaction.</summary>
    public async Task ReplaceAsync(IReadOnlyList<HostBridgeSpec> bridges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bridges);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM host_bridges", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        for (var i = 0; i < bridges.Count; i++)
        {
            var b = bridges[i];
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO host_bridges (name, position, interfaces, ipv4, ipv6, nat, network) VALUES (@Name, @Position, @Interfaces, @Ipv4, @Ipv6, @Nat, @Network)",
                new { b.Name, Position = i, Interfaces = string.Join('\n', b.Interfaces), b.Ipv4, b.Ipv6, Nat = b.Nat ? 1 : 0, Network = b.Network ? 1 : 0 },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record Row
    {
        public string Name { get; init; } = "";
        public string Interfaces { get; init; } = "";
        public string? Ipv4 { get; init; }
        public string? Ipv6 { get; init; }
        public long Nat { get; init; }
        public long Network { get; init; }

        public HostBridgeSpec ToSpec() => new()
        {
            Name = Name,
            Interfaces = Interfaces.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            Ipv4 = Ipv4,
            Ipv6 = Ipv6,
            Nat = Nat != 0,
            Network = Network != 0,
        };
    }
}
