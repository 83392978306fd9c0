using Berth.Daemon.Access;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Backups;

/// <summary>Who owns a backup, for endpoints that name one: its row keeps the owner its container had when it was taken.</summary>
public sealed class BackupOwners(BackupStore store) : IOwnerLookup
{
    public ObjectKind Kind => ObjectKind.Backup;

    public async Task<OwnerLookup?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (!BackupService.IsBackupId(name))
        {
            return null;
        }

        var found = await store.FindAsync(name, cancellationToken).ConfigureAwait(false);
        return found is [var backup] ? new OwnerLookup(backup.Owner) : null;
    }

    public Exception NotFound(string name) => BackupService.NotFound(name);
}
