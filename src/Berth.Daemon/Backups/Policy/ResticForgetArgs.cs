namespace Berth.Daemon.Backups.Policy;

/// <summary>
/// The restic arguments that forget what a <see cref="KeepSelection"/> chose: <c>forget ID...</c>, never
/// <c>forget --keep-daily ...</c>. restic's own keep options are not Proxmox's: in restic 0.14 every rule counts all
/// snapshots, including those an earlier rule already kept (last=3,daily=7 keeps 7 days in all, the last 3 among
/// them; Proxmox keeps 3 plus 7 older days), and its groups and tags decide what counts together. So Berth selects
/// the ids itself with <see cref="KeepSelector"/> from its own list of one container's backups and names them.
/// </summary>
public static class ResticForgetArgs
{
    /// <summary>
    /// The arguments after <c>restic</c> (<c>forget -- ID...</c>), or an empty list when nothing is to be forgotten, so
    /// no restic run is needed. Forgetting frees no space; a separate <c>restic prune</c> does.
    /// </summary>
    public static IReadOnlyList<string> For(KeepSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.Forget.Count == 0)
        {
            return [];
        }

        foreach (var id in selection.Forget)
        {
            // An id is restic's hex snapshot id; anything else could be read as an option or name another snapshot.
            if (id.Length is < 8 or > 64 || !id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                throw new ArgumentException($"\"{id}\" is not a restic snapshot id", nameof(selection));
            }
        }

        return ["forget", "--", .. selection.Forget];
    }
}
