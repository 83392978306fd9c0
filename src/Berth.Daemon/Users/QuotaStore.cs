using Berth.Daemon.Store;
using Dapper;

namespace Berth.Daemon.Users;

/// <summary>Reads and writes users' quota rows (one per limited resource) and measures usage.</summary>
public sealed class QuotaStore(Database database)
{
    public async Task<(Dictionary<QuotaResource, long> Limits, QuotaUsage Usage)> ReadAsync(string user, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var limits = await QuotaLedger.LimitsAsync(connection, null, user, cancellationToken).ConfigureAwait(false);
        var usage = await QuotaLedger.MeasureAsync(connection, null, user, null, cancellationToken).ConfigureAwait(false);
        return (limits, usage);
    }

    /// <summary>Sets and removes limits in one transaction.</summary>
    public async Task UpdateAsync(string user, IReadOnlyDictionary<QuotaResource, long> set, IReadOnlyCollection<QuotaResource> unset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(unset);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var resource in unset)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM user_quotas WHERE user_name = @user AND resource = @resource", new { user, resource = resource.Name }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        foreach (var (resource, maximum) in set)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO user_quotas (user_name, resource, maximum) VALUES (@user, @resource, @maximum) ON CONFLICT (user_name, resource) DO UPDATE SET maximum = excluded.maximum",
                new { user, resource = resource.Name, maximum }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
