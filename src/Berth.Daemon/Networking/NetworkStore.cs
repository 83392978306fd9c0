using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Berth.Daemon.Store;

namespace Berth.Daemon.Networking;

/// <summary>Reads and writes networks and address leases.</summary>
public sealed class NetworkStore(Database database)
{
    private const string Columns = "name, subnet, subnet6, nat, isolated, internal, status, created_at AS CreatedAt, job_id AS JobId, owner AS Owner";

    public async Task<bool> TryInsertAsync(NetworkRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO networks (name, subnet, subnet6, nat, isolated, internal, status, created_at, job_id, owner)
            VALUES (@Name, @Subnet, @Subnet6, @Nat, @Isolated, @Internal, @Status, @CreatedAt, @JobId, @Owner)
            ON CONFLICT (name) DO NOTHING
            """,
            new
            {
                record.Name,
                record.Subnet,
                record.Subnet6,
                Nat = record.Nat ? 1 : 0,
                Isolated = record.Isolated ? 1 : 0,
                Internal = record.Internal ? 1 : 0,
                record.Status,
                CreatedAt = record.CreatedAt.ToString("O"),
                record.JobId,
                record.Owner,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <summary>
    /// Members' containers on shared networks, grouped by member: the host side of each interface, so the bridge can keep
    /// one member's containers from another's (and from root's and admins').
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> ListMemberPortsOnSharedAsync(Func<string, int, string> port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(port);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Container, long Nic, string Owner)>(new CommandDefinition(
            """
            SELECT l.container, l.nic, c.owner FROM leases l
            JOIN networks n ON n.name = l.network
            JOIN containers c ON c.name = l.container
            JOIN users u ON u.name = c.owner
            WHERE n.owner IS NULL AND u.role = 'member'
            ORDER BY c.owner, l.container, l.nic
            """,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.GroupBy(r => r.Owner, StringComparer.Ordinal).Select(g => (IReadOnlyList<string>)[.. g.Select(r => port(r.Container, (int)r.Nic))])];
    }

    /// <summary>Who owns a network; one nobody owns is shared. Null when there is no such network.</summary>
    public async Task<Access.OwnerLookup?> FindOwnerAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<string?>(new CommandDefinition(
            "SELECT owner FROM networks WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        return rows is [var owner] ? new Access.OwnerLookup(owner, Shared: owner is null) : null;
    }

    public async Task<NetworkRecord?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM networks WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<NetworkRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM networks ORDER BY name", cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task SetStatusAsync(string name, string status, string? jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE networks SET status = @status, job_id = @jobId WHERE name = @name",
            new { name, status, jobId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Moves a ready network into deleting only if no container holds a lease on it; false otherwise.</summary>
    public async Task<bool> TryClaimUnusedAsync(string name, string status, string jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE networks SET status = @status, job_id = @jobId
            WHERE name = @name AND status = @ready AND NOT EXISTS (SELECT 1 FROM leases WHERE leases.network = @name)
            """,
            new { name, status, jobId, ready = NetworkStatus.Ready },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return updated == 1;
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM networks WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IpLease>> ListLeasesAsync(string? network = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<LeaseRow>(new CommandDefinition(
            "SELECT network, address, address6, container, hwaddr, nic FROM leases WHERE @network IS NULL OR network = @network ORDER BY network, container",
            new { network },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new IpLease(r.Network, r.Address, r.Address6, r.Container, r.Hwaddr, (int)r.Nic))];
    }

    /// <summary>Every lease of one container, eth0 first.</summary>
    public async Task<IReadOnlyList<IpLease>> ListLeasesOfAsync(string container, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<LeaseRow>(new CommandDefinition(
            "SELECT network, address, address6, container, hwaddr, nic FROM leases WHERE container = @container ORDER BY nic", new { container }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new IpLease(r.Network, r.Address, r.Address6, r.Container, r.Hwaddr, (int)r.Nic))];
    }

    public async Task<IpLease?> GetLeaseAsync(string container, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<LeaseRow>(new CommandDefinition(
            "SELECT network, address, address6, container, hwaddr FROM leases WHERE container = @container AND nic = 0",
            new { container },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is null ? null : new IpLease(row.Network, row.Address, row.Address6, row.Container, row.Hwaddr);
    }

    /// <summary>
    /// Leases <paramref name="requested"/> (or the lowest free host address) to the container. The unique
    /// (network, address) key decides races: a lost insert retries with the next free address.
    /// Returns null when the requested address is taken or the subnet is full.
    /// </summary>
    public Task<IpLease?> TryLeaseAsync(NetworkRecord network, string container, IPAddress? requested, CancellationToken cancellationToken = default) =>
        TryLeaseAsync(network, container, requested, 0, cancellationToken);

    /// <summary>Leases an address for the container's interface <paramref name="nic"/>; as above.</summary>
    public async Task<IpLease?> TryLeaseAsync(NetworkRecord network, string container, IPAddress? requested, int nic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        var subnet = network.Ipv4;
        var subnet6 = network.Ipv6;
        var hwaddr = HardwareAddress(container, nic);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < 64; attempt++)
        {
            UInt128 offset;
            if (requested is not null)
            {
                offset = subnet.OffsetOf(requested);
            }
            else
            {
                var used = (await connection.QueryAsync<string>(new CommandDefinition(
                    "SELECT address FROM leases WHERE network = @network", new { network = network.Name }, cancellationToken: cancellationToken)).ConfigureAwait(false))
                    .Select(a => subnet.OffsetOf(IPAddress.Parse(a))).ToHashSet();
                offset = 2;
                while (used.Contains(offset))
                {
                    offset++;
                }

                if (offset >= subnet.Size - 1)
                {
                    return null;
                }
            }

            var lease = new IpLease(network.Name, subnet.At(offset).ToString(), subnet6?.At(offset).ToString(), container, hwaddr, nic);
            var inserted = await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO leases (network, address, address6, container, hwaddr, nic)
                VALUES (@Network, @Address, @Address6, @Container, @HardwareAddress, @Nic)
                ON CONFLICT DO NOTHING
                """,
                lease,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (inserted == 1)
            {
                return lease;
            }

            if (requested is not null)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Moves a container's lease in one transaction: the old one is released and, unless <paramref name="network"/> is
    /// null, a new one taken there (<paramref name="requested"/> or the lowest free address). False, with the old lease
    /// kept, when the address is taken or the subnet is full.
    /// </summary>
    public async Task<bool> TryMoveLeaseAsync(string container, NetworkRecord? network, IPAddress? requested, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM leases WHERE container = @container AND nic = 0", new { container }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (network is null)
        {
            // The next interface becomes eth0 and carries the default route (in two steps: UNIQUE (container, nic) holds after each row).
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE leases SET nic = -nic WHERE container = @container AND nic > 0", new { container }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE leases SET nic = -nic - 1 WHERE container = @container AND nic < 0", new { container }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            var subnet = network.Ipv4;
            var used = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT address FROM leases WHERE network = @network", new { network = network.Name }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
                .Select(a => subnet.OffsetOf(IPAddress.Parse(a))).ToHashSet();
            UInt128 offset = requested is null ? 2 : subnet.OffsetOf(requested);
            while (requested is null && used.Contains(offset))
            {
                offset++;
            }

            if (used.Contains(offset) || offset >= subnet.Size - 1)
            {
                return false;
            }

            var lease = new IpLease(network.Name, subnet.At(offset).ToString(), network.Ipv6?.At(offset).ToString(), container, HardwareAddress(container));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO leases (network, address, address6, container, hwaddr) VALUES (@Network, @Address, @Address6, @Container, @HardwareAddress)",
                lease, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Puts back exactly the leases a container had (every interface), replacing whatever it holds now.</summary>
    public async Task RestoreLeasesAsync(string container, IReadOnlyList<IpLease> leases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leases);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM leases WHERE container = @container", new { container }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var lease in leases)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO leases (network, address, address6, container, hwaddr, nic) VALUES (@Network, @Address, @Address6, @Container, @HardwareAddress, @Nic)",
                lease, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts back exactly the lease a container had (or none), replacing whatever it holds now.</summary>
    public async Task RestoreLeaseAsync(string container, IpLease? lease, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM leases WHERE container = @container AND nic = 0", new { container }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (lease is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO leases (network, address, address6, container, hwaddr) VALUES (@Network, @Address, @Address6, @Container, @HardwareAddress)",
                lease, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(string container, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM leases WHERE container = @container", new { container }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>A stable locally administered MAC in LXC's 00:16:3e range, derived from the container's name.</summary>
    public static string HardwareAddress(string container) => HardwareAddress(container, 0);

    /// <summary>As above for interface <paramref name="nic"/>; interface 0 keeps the address it always had.</summary>
    public static string HardwareAddress(string container, int nic)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(nic == 0 ? container : container + "#" + nic.ToString(CultureInfo.InvariantCulture)));
        return string.Create(CultureInfo.InvariantCulture, $"00:16:3e:{hash[0]:x2}:{hash[1]:x2}:{hash[2]:x2}");
    }

    private sealed record Row
    {
        public string Name { get; init; } = "";
        public string Subnet { get; init; } = "";
        public string? Subnet6 { get; init; }
        public long Nat { get; init; }
        public long Isolated { get; init; }
        public long Internal { get; init; }
        public string Status { get; init; } = "";
        public string CreatedAt { get; init; } = "";
        public string? JobId { get; init; }
        public string? Owner { get; init; }

        public NetworkRecord ToRecord() => new()
        {
            Name = Name,
            Subnet = Subnet,
            Subnet6 = Subnet6,
            Nat = Nat != 0,
            Isolated = Isolated != 0,
            Internal = Internal != 0,
            Status = Status,
            CreatedAt = DateTimeOffset.Parse(CreatedAt, CultureInfo.InvariantCulture),
            JobId = JobId,
            Owner = Owner,
        };
    }

    private sealed record LeaseRow
    {
        public string Network { get; init; } = "";
        public string Address { get; init; } = "";
        public string? Address6 { get; init; }
        public string Container { get; init; } = "";
        public string Hwaddr { get; init; } = "";
        public long Nic { get; init; }
    }
}
