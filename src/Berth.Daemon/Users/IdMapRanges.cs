using System.Globalization;
using Berth.Daemon.Api;
using Berth.Daemon.Containers;
using Berth.Daemon.Store;
using Dapper;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Users;

/// <summary>
/// Each member's own block of host ids (uids and gids, 65536 of each), cut from root's subordinate range after the
/// first block, which root's and admins' containers keep. A block is recorded in user_idmaps when a member first gets
/// an unprivileged container and stays theirs until the user is deleted, which the store refuses while they own a
/// container: a block in use is never handed to anyone else.
/// </summary>
public sealed class IdMapRanges(Database database, HostIdMap host, TimeProvider time)
{
    // Looking for the lowest free block and taking it happen under one lock (and the table's UNIQUE keys back it up).
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// The map containers of <paramref name="owner"/> run with: the owner's own block when they have one, else the
    /// host's (root, admins). Read from the store each time, so a renamed or deleted user can never keep a stale block.
    /// </summary>
    public IdMap? MapFor(string? owner)
    {
        if (owner is null)
        {
            return host.Map;
        }

        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        var row = connection.QuerySingleOrDefault<Row>(
            "SELECT host_uid_start AS UidStart, host_gid_start AS GidStart, size AS Size FROM user_idmaps WHERE user_name = @owner", new { owner });
        return row is null ? host.Map : new IdMap(row.UidStart, row.GidStart, row.Size);
    }

    /// <summary>
    /// Makes sure a member about to own an unprivileged container in a pool has a block of their own, taking the lowest
    /// free one; refused (nothing recorded) when root's range has no block left or the pool cannot hold another map.
    /// Root, admins and privileged containers need none.
    /// </summary>
    public async Task EnsureForAsync(string? owner, bool privileged, Storage.StoragePool pool, Storage.IStorageDriver driver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(driver);
        if (owner is null || privileged)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var role = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT role FROM users WHERE name = @owner", new { owner }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var hasBlock = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM user_idmaps WHERE user_name = @owner", new { owner }, cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
        if (role != "member" && !hasBlock)
        {
            return;
        }

        // overlay stores what a container writes with the host ids of the one map its lower layers are mounted with (docs/members.md).
        if (!driver.LxcIdmapsRootfs)
        {
            throw DomainError.Conflict(
                "Pool cannot hold a member's container",
                $"pool '{pool.Name}' uses the {driver.Name} driver, whose files are stored shifted for the host's one id map, while a member's containers run with an id range of their own; give storage: the name of a dir or btrfs pool (GET /api/v1/storage-pools shows each pool's driver; the default pool is one), and nothing was created.");
        }

        if (hasBlock)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A parallel launch for the same member may have taken the block while this one waited.
            var taken = (await connection.QueryAsync<(string User, long Start)>(new CommandDefinition(
                "SELECT user_name, host_uid_start FROM user_idmaps", cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            if (taken.Any(t => string.Equals(t.User, owner, StringComparison.Ordinal)))
            {
                return;
            }

            var used = taken.Select(t => t.Start).ToHashSet();
            IdMap? free = null;
            for (var index = 1L; index < host.Blocks; index++)
            {
                if (host.Block(index) is { } block && !used.Contains(block.UidBase))
                {
                    free = block;
                    break;
                }
            }

            if (free is null)
            {
                throw Exhausted();
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO user_idmaps (user_name, host_uid_start, host_gid_start, size, created_at)
                VALUES (@owner, @UidBase, @GidBase, @Size, @createdAt)
                ON CONFLICT (user_name) DO NOTHING
                """,
                new { owner, free.UidBase, free.GidBase, free.Size, createdAt = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private DomainError Exhausted()
    {
        var ids = host.Map is null
            ? "root has no subordinate range of at least 65536 ids in /etc/subuid and /etc/subgid"
            : $"root's subordinate range (from uid {host.Map.UidBase.ToString(CultureInfo.InvariantCulture)}, gid {host.Map.GidBase.ToString(CultureInfo.InvariantCulture)}) holds {host.Blocks.ToString(CultureInfo.InvariantCulture)} block(s) of 65536 ids, the first for root's and admins' containers, and every other one belongs to a member";
        return DomainError.Conflict(
            "No id range left for a member",
            $"{ids}; give root a larger range in both files (e.g. root:1000000000:1000000000), restart berthd, and try again, or delete a member who no longer has containers.");
    }

    private sealed record Row
    {
        public long UidStart { get; init; }
        public long GidStart { get; init; }
        public long Size { get; init; }
    }
}
