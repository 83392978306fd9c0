using System.Text.Json;
using Dapper;

namespace Berth.Daemon.Store;

/// <summary>Reads and writes container rows.</summary>
public sealed class ContainerStore(Database database)
{
    // The lease and its network come along, so the LXC configuration can be rendered from one record.
    private const string Select =
        """
        SELECT c.name, c.image, c.status, c.privileged, c.config, c.created_at AS CreatedAt, c.job_id AS JobId, c.lxc_profile AS LxcProfile, c.halt_signal AS HaltSignal, c.owner AS Owner,
               l.network AS LeaseNetwork, l.address AS LeaseAddress, l.address6 AS LeaseAddress6, l.hwaddr AS LeaseHwaddr, l.nic AS LeaseNic,
               n.subnet AS NetSubnet, n.subnet6 AS NetSubnet6, n.nat AS NetNat, n.isolated AS NetIsolated, n.internal AS NetInternal, n.status AS NetStatus, n.created_at AS NetCreatedAt
        FROM containers c
        LEFT JOIN leases l ON l.container = c.name
        LEFT JOIN networks n ON n.name = l.network
        """;

    /// <summary>Inserts a new row; false when the name is taken (the unique key decides races between launches).</summary>
    public Task<bool> TryInsertAsync(ContainerRecord record, CancellationToken cancellationToken = default) => TryInsertAsync(record, null, cancellationToken);

    /// <summary>Inserts a new row if it fits its owner's quota (checked in the same transaction; a 403 problem otherwise).</summary>
    public async Task<bool> TryInsertAsync(ContainerRecord record, Users.QuotaDemand? quota, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (quota is not null)
        {
            await Users.QuotaLedger.RequireRoomAsync(connection, transaction, quota, cancellationToken).ConfigureAwait(false);
        }

        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO containers (name, image, status, privileged, config, created_at, job_id, lxc_profile, halt_signal, owner)
            VALUES (@Name, @Image, @Status, @Privileged, @Config, @CreatedAt, @JobId, @LxcProfile, @HaltSignal, @Owner)
            ON CONFLICT (name) DO NOTHING
            """,
            ToRow(record),
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <summary>Refuses a demand beyond its owner's quota before a job is queued; the insert checks again.</summary>
    public Task RequireQuotaAsync(Users.QuotaDemand quota, CancellationToken cancellationToken = default) => Users.QuotaLedger.CheckAsync(database, quota, cancellationToken);

    public async Task<ContainerRecord?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            Select + " WHERE c.name = @name ORDER BY l.nic",
            new { name },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return FromRows(rows).SingleOrDefault();
    }

    /// <summary>Every container, or only <paramref name="owner"/>'s (filtered in SQL, so a member's listing costs what their own containers cost).</summary>
    public async Task<IReadOnlyList<ContainerRecord>> ListAsync(CancellationToken cancellationToken = default, string? owner = null)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            Select + (owner is null ? "" : " WHERE c.owner = @owner") + " ORDER BY c.name, l.nic",
            new { owner },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return FromRows(rows);
    }

    public async Task SetStatusAsync(string name, string status, string? jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE containers SET status = @status, job_id = @jobId WHERE name = @name",
            new { name, status, jobId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Moves a ready container into <paramref name="status"/> only if no other job holds it; false otherwise.</summary>
    public async Task<bool> TryClaimAsync(string name, string status, string jobId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE containers SET status = @status, job_id = @jobId WHERE name = @name AND status = @ready",
            new { name, status, jobId, ready = ContainerRecordStatus.Ready },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return updated == 1;
    }

    /// <summary>The owner of a container, or null when there is no such container (a missing row, not a root-owned one).</summary>
    public async Task<Access.OwnerLookup?> FindOwnerAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<string?>(new CommandDefinition(
            "SELECT owner FROM containers WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList() is [var owner] ? new Access.OwnerLookup(owner) : null;
    }

    /// <summary>Gives a container to another user (null: to root).</summary>
    public async Task SetOwnerAsync(string name, string? owner, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE containers SET owner = @owner WHERE name = @name", new { name, owner }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task SetConfigAsync(string name, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken = default) =>
        await SetConfigAsync(name, config, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Stores a new configuration if the limits it raises fit the owner's quota (checked in the same transaction).</summary>
    public async Task SetConfigAsync(string name, IReadOnlyDictionary<string, string> config, Users.QuotaDemand? quota, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (quota is not null)
        {
            await Users.QuotaLedger.RequireRoomAsync(connection, transaction, quota, cancellationToken).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE containers SET config = @config WHERE name = @name",
            new { name, config = JsonSerializer.Serialize(config) },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renames the container, and by cascade every row that belongs to it, in one transaction; false when the new name is taken.</summary>
    public async Task<bool> TryRenameAsync(string name, string newName, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var taken = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM containers WHERE name = @newName", new { newName }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (taken > 0)
        {
            return false;
        }

        // Leases, forwards, routes, the placement and snapshots follow by ON UPDATE CASCADE (migration 550).
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE containers SET name = @newName WHERE name = @name",
            new { name, newName },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Deletes the row; its leases, forwards, routes, placement and snapshot rows go with it (ON DELETE CASCADE).</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM containers WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    private static object ToRow(ContainerRecord record) => new
    {
        record.Name,
        record.Image,
        record.Status,
        Privileged = record.Privileged ? 1 : 0,
        Config = JsonSerializer.Serialize(record.Config),
        CreatedAt = record.CreatedAt.ToString("O"),
        record.JobId,
        record.LxcProfile,
        record.HaltSignal,
        record.Owner,
    };

    // One row per lease (or one without): a container's rows are adjacent and ordered by interface.
    private static List<ContainerRecord> FromRows(IEnumerable<Row> rows) =>
        [.. rows.GroupBy(r => r.Name, StringComparer.Ordinal).Select(g =>
        {
            var nics = g.Select(NicOf).OfType<Networking.ContainerNic>().ToList();
            return FromRow(g.First()) with { Nic = nics.FirstOrDefault(n => n.Index == 0), Nics = nics };
        })];

    private static ContainerRecord FromRow(Row row) => new()
    {
        Name = row.Name,
        Image = row.Image,
        Status = row.Status,
        Privileged = row.Privileged != 0,
        Config = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Config) ?? [],
        CreatedAt = DateTimeOffset.Parse(row.CreatedAt, System.Globalization.CultureInfo.InvariantCulture),
        JobId = row.JobId,
        LxcProfile = row.LxcProfile,
        HaltSignal = row.HaltSignal,
        Owner = row.Owner,
    };

    private static Networking.ContainerNic? NicOf(Row row) =>
        row.LeaseNetwork is null || row.NetSubnet is null ? null : new Networking.ContainerNic
        {
            Network = new Networking.NetworkRecord
            {
                Name = row.LeaseNetwork,
                Subnet = row.NetSubnet,
                Subnet6 = row.NetSubnet6,
                Nat = row.NetNat is not null and not 0,
                Isolated = row.NetIsolated is not null and not 0,
                Internal = row.NetInternal is not null and not 0,
                Status = row.NetStatus ?? "",
                CreatedAt = DateTimeOffset.Parse(row.NetCreatedAt ?? row.CreatedAt, System.Globalization.CultureInfo.InvariantCulture),
            },
            Address = row.LeaseAddress ?? "",
            Address6 = row.LeaseAddress6,
            HardwareAddress = row.LeaseHwaddr ?? "",
            Index = (int)(row.LeaseNic ?? 0),
        };

    private sealed record Row
    {
        public string Name { get; init; } = "";
        public string Image { get; init; } = "";
        public string Status { get; init; } = "";
        public long Privileged { get; init; }
        public string Config { get; init; } = "{}";
        public string CreatedAt { get; init; } = "";
        public string? JobId { get; init; }
        public string? LxcProfile { get; init; }
        public string? HaltSignal { get; init; }
        public string? Owner { get; init; }
        public string? LeaseNetwork { get; init; }
        public string? LeaseAddress { get; init; }
        public string? LeaseAddress6 { get; init; }
        public string? LeaseHwaddr { get; init; }
        public long? LeaseNic { get; init; }
        public string? NetSubnet { get; init; }
        public string? NetSubnet6 { get; init; }
        public long? NetNat { get; init; }
        public long? NetIsolated { get; init; }
        public long? NetInternal { get; init; }
        public string? NetStatus { get; init; }
        public string? NetCreatedAt { get; init; }
    }
}
