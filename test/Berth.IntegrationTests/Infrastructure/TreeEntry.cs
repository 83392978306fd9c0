namespace Berth.IntegrationTests.Infrastructure;

/// <summary>
/// One entry of a directory tree as lstat sees it: what an archive must carry over. Size is null for directories (it
/// depends on the file system) and Sha256 is set for regular files; HardLinkGroup names the first path sharing the inode.
/// </summary>
public sealed record TreeEntry(string Path, char Type, int Mode, uint Uid, uint Gid, long? Size, string? LinkTarget, string? Sha256, string? HardLinkGroup);
