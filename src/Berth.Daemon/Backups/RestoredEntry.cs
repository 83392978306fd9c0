namespace Berth.Daemon.Backups;

/// <summary>One entry of a restored tree as find(1) reports it: path from the tree's root, type letter (f d l p s c b), size, octal permissions, owner, link target.</summary>
public sealed record RestoredEntry(string Path, char Type, long Size, int Permissions, long Uid, long Gid, string LinkTarget);
