using System.Data.Common;
using System.Text.Json;
using Berth.Daemon.Api;
using Berth.Daemon.Store;
using Dapper;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Users;

/// <summary>
/// Measures a user's usage and refuses a demand beyond their quota, inside the transaction that inserts the object,
/// so parallel requests of one member are counted one after another and never exceed it together.
/// </summary>
public static class QuotaLedger
{
    /// <summary>Throws a 403 problem naming the quota, the usage and the limit when <paramref name="demand"/> does not fit.</summary>
    public static async Task RequireRoomAsync(DbConnection connection, DbTransaction transaction, QuotaDemand demand, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(demand);
        if (demand.Exempt || demand.Adds.Count == 0)
        {
            return;
        }

        var owner = demand.Owner ?? (demand.OfContainer is { } container
            ? await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT owner FROM containers WHERE name = @container", new { container }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)
            : null);
        if (owner is null)
        {
            return;
        }

        var roles = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT role FROM users WHERE name = @owner OR name = @requestedBy", new { owner, requestedBy = demand.RequestedBy }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (roles.Any(r => r != UserStore.RoleText(Access.Role.Member)))
        {
            return;
        }

        // A write first: PostgreSQL then holds the user's quota rows until commit, as SQLite's BEGIN IMMEDIATE holds the file.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE user_quotas SET maximum = maximum WHERE user_name = @owner", new { owner }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var limits = await LimitsAsync(connection, transaction, owner, cancellationToken).ConfigureAwait(false);
        var checkedHere = demand.Adds.Where(a => limits.ContainsKey(a.Key)).ToList();
        if (checkedHere.Count == 0)
        {
            return;
        }

        var usage = await MeasureAsync(connection, transaction, owner, demand.Replacing, cancellationToken).ConfigureAwait(false);
        foreach (var resource in QuotaResource.All)
        {
            if (demand.Adds.TryGetValue(resource, out var amount) && limits.TryGetValue(resource, out var limit))
            {
                Require(owner, resource, usage, amount, limit);
            }
        }
    }

    /// <summary>Checks a demand in a transaction of its own, to refuse at once what the insert (later, in a job) would refuse.</summary>
    public static async Task CheckAsync(Database database, QuotaDemand demand, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RequireRoomAsync(connection, transaction, demand, cancellationToken).ConfigureAwait(false);
        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The limits of <paramref name="user"/>, by resource; a resource without a row is unlimited.</summary>
    public static async Task<Dictionary<QuotaResource, long>> LimitsAsync(DbConnection connection, DbTransaction? transaction, string user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rows = await connection.QueryAsync<(string Resource, long Maximum)>(new CommandDefinition(
            "SELECT resource, maximum FROM user_quotas WHERE user_name = @user", new { user }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => (Resource: QuotaResource.Find(r.Resource), r.Maximum)).Where(r => r.Resource is not null).ToDictionary(r => r.Resource!, r => r.Maximum);
    }

    /// <summary>What <paramref name="user"/>'s objects take, counting containers an admin launched for them too.</summary>
    public static async Task<QuotaUsage> MeasureAsync(DbConnection connection, DbTransaction? transaction, string user, string? excluding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var containers = (await connection.QueryAsync<(string Name, string Config)>(new CommandDefinition(
            "SELECT name, config FROM containers WHERE owner = @user ORDER BY name", new { user }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).AsList();
        var counts = await connection.QuerySingleAsync<(long Forwards, long Ssh, long Snapshots, long Backups, long Routes, long Networks)>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM forwards f JOIN containers c ON c.name = f.container WHERE c.owner = @user AND f.ssh = 0),
                   (SELECT COUNT(*) FROM forwards f JOIN containers c ON c.name = f.container WHERE c.owner = @user AND f.ssh <> 0),
                   (SELECT COUNT(*) FROM snapshots s JOIN containers c ON c.name = s.container WHERE c.owner = @user),
                   (SELECT COUNT(*) FROM backups b WHERE b.owner = @user AND b.system = 0),
                   (SELECT COUNT(*) FROM proxy_routes r JOIN containers c ON c.name = r.container WHERE c.owner = @user),
                   (SELECT COUNT(*) FROM networks WHERE owner = @user)
            """,
            new { user }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);

        var used = new Dictionary<QuotaResource, long?>
        {
            [QuotaResource.Containers] = containers.Count,
            [QuotaResource.Forwards] = counts.Forwards,
            [QuotaResource.Ssh] = counts.Ssh,
            [QuotaResource.Snapshots] = counts.Snapshots,
            [QuotaResource.Backups] = counts.Backups,
            [QuotaResource.Routes] = counts.Routes,
            [QuotaResource.Networks] = counts.Networks,
        };
        var unboundedBy = new Dictionary<QuotaResource, string>();
        foreach (var resource in QuotaResource.All.Where(r => r.ConfigKey is not null))
        {
            long? sum = 0;
            foreach (var (name, configText) in containers.Where(c => !string.Equals(c.Name, excluding, StringComparison.Ordinal)))
            {
                var amount = resource.AmountOf(JsonSerializer.Deserialize<Dictionary<string, string>>(configText) ?? []);
                if (amount is null)
                {
                    unboundedBy.TryAdd(resource, name);
                    sum = null;
                    break;
                }

                sum += amount;
            }

            used[resource] = sum;
        }

        return new QuotaUsage(used, unboundedBy);
    }

    private static void Require(string owner, QuotaResource resource, QuotaUsage usage, long? amount, long limit)
    {
        var used = usage.Used[resource];
        if (amount is null)
        {
            throw DomainError.Forbidden("Limit required",
                $"the quota of '{owner}' limits {resource.Name} to {resource.Format(limit)}, so every container of theirs must set {resource.ConfigKey}" +
                (used is { } u ? $"; set {resource.ConfigKey} to at most {resource.Format(Math.Max(0, limit - u))} (the rest of the quota)." : "."));
        }

        if (used is null)
        {
            throw DomainError.Forbidden("Quota exceeded",
                $"quota {resource.Name} of '{owner}' is {resource.Format(limit)}, and their container '{usage.UnboundedBy[resource]}' sets no {resource.ConfigKey}, so its usage is unbounded; set {resource.ConfigKey} on it first.");
        }

        if (used + amount > limit)
        {
            throw DomainError.Forbidden("Quota exceeded",
                $"quota {resource.Name} of '{owner}': {resource.Format(used.Value)} used of {resource.Format(limit)}, this needs {resource.Format(amount.Value)} more; remove some of it or ask an admin to raise the quota.");
        }
    }
}
