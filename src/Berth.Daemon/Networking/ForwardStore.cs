using Dapper;
using Berth.Daemon.Store;

namespace Berth.Daemon.Networking;

/// <summary>Reads and writes port forwards; (protocol, first host port) is unique, overlaps are checked by the service.</summary>
public sealed class ForwardStore(Database database)
{
    private const string Columns =
        "f.container, f.protocol, f.host_port AS HostPort, f.host_port_end AS HostPortEnd, f.container_port AS ContainerPort, " +
        "f.container_port_end AS ContainerPortEnd, f.listen_address AS ListenAddress, f.ssh, l.address AS TargetAddress, l.address6 AS TargetAddress6";

    public async Task<IReadOnlyList<PortForward>> ListAsync(string? container = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM forwards f LEFT JOIN leases l ON l.container = f.container AND l.nic = 0 WHERE @container IS NULL OR f.container = @container ORDER BY f.protocol, f.host_port",
            new { container },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToForward())];
    }

    /// <summary>The forwards whose container has an address, with that address filled in.</summary>
    public async Task<IReadOnlyList<PortForward>> ListResolvedAsync(CancellationToken cancellationToken = default) =>
        [.. (await ListAsync(null, cancellationToken).ConfigureAwait(false)).Where(f => f.TargetAddress is not null)];

    public Task<bool> TryInsertAsync(PortForward forward, CancellationToken cancellationToken = default) => TryInsertAsync(forward, null, cancellationToken);

    /// <summary>Inserts a forward if it fits the owner's quota (checked in the same transaction; a 403 problem otherwise).</summary>
    public async Task<bool> TryInsertAsync(PortForward forward, Users.QuotaDemand? quota, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(forward);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (quota is not null)
        {
            await Users.QuotaLedger.RequireRoomAsync(connection, transaction, quota, cancellationToken).ConfigureAwait(false);
        }

        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO forwards (protocol, host_port, host_port_end, container, container_port, container_port_end, listen_address, ssh)
            VALUES (@Protocol, @HostPort, @HostPortEnd, @Container, @ContainerPort, @ContainerPortEnd, @ListenAddress, @Ssh)
            ON CONFLICT DO NOTHING
            """,
            new
            {
                forward.Protocol,
                forward.HostPort,
                forward.HostPortEnd,
                forward.Container,
                forward.ContainerPort,
                forward.ContainerPortEnd,
                forward.ListenAddress,
                Ssh = forward.Ssh ? 1 : 0,
            },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted == 1;
    }

    public async Task<bool> DeleteAsync(string container, string protocol, int hostPort, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM forwards WHERE container = @container AND protocol = @protocol AND host_port = @hostPort",
            new { container, protocol, hostPort },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }

    private sealed record Row
    {
        public string Container { get; init; } = "";
        public string Protocol { get; init; } = "";
        public long HostPort { get; init; }
        public long HostPortEnd { get; init; }
        public long ContainerPort { get; init; }
        public long ContainerPortEnd { get; init; }
        public string? ListenAddress { get; init; }
        public long Ssh { get; init; }
        public string? TargetAddress { get; init; }
        public string? TargetAddress6 { get; init; }

        public PortForward ToForward() => new()
        {
            Container = Container,
            Protocol = Protocol,
            HostPort = (int)HostPort,
            HostPortEnd = (int)HostPortEnd,
            ContainerPort = (int)ContainerPort,
            ContainerPortEnd = (int)ContainerPortEnd,
            ListenAddress = ListenAddress,
            Ssh = Ssh != 0,
            TargetAddress = TargetAddress,
            TargetAddress6 = TargetAddress6,
        };
    }
}
