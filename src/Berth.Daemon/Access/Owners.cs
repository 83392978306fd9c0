using Berth.Daemon.Api;
using Berth.Daemon.Store;
using Dapper;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Access;

/// <summary>Decides who owns a new object, or one given to somebody else: only admins name another owner, and it must be a user there is.</summary>
public sealed class Owners(Database database)
{
    /// <summary>The owner for an object <paramref name="caller"/> creates, given the owner it asked for (null: itself).</summary>
    public async Task<string?> ForNewAsync(Caller caller, string? requested, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (requested is null || (!caller.IsRoot && string.Equals(requested, caller.Name, StringComparison.Ordinal)))
        {
            return caller.OwnerForNew;
        }

        if (!caller.IsAdmin)
        {
            throw DomainError.Forbidden("Only admins choose owners", $"a member creates objects for themselves; leave out owner (it would be '{caller.Name}').");
        }

        return await RequireUserAsync(requested, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An existing user's name, or "root" for none; refused when there is no such user.</summary>
    public async Task<string?> RequireUserAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name is "root" or "")
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var found = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM users WHERE name = @name", new { name }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return found == 1 ? name : throw DomainError.Invalid("No such user", $"there is no user named '{name}' to own it; GET /api/v1/users lists them (or give 'root').");
    }
}
