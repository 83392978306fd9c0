using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>Lists a tree on the host without following a single symbolic link (statx with AT_SYMLINK_NOFOLLOW).</summary>
public static partial class TreeWalker
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    /// <summary>Every entry under <paramref name="root"/> (not the root itself), by path relative to it, in ordinal order.</summary>
    public static List<TreeEntry> Walk(string root)
    {
        var found = new List<(TreeEntry Entry, ulong Inode, uint Links)>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(pending.Pop()))
            {
                var status = Stat(path);
                var type = (status.Mode & 0xf000) switch
                {
                    0x4000 => 'd',
                    0x8000 => 'f',
                    0xa000 => 'l',
                    0x2000 => 'c',
                    0x6000 => 'b',
                    0x1000 => 'p',
                    0xc000 => 's',
                    _ => '?',
                };
                if (type == 'd')
                {
                    pending.Push(path);
                }

                var entry = new TreeEntry(
                    Path.GetRelativePath(root, path),
                    type,
                    status.Mode & 0xfff,
                    status.Uid,
                    status.Gid,
                    type == 'd' ? null : (long)status.Size,
                    type == 'l' ? new FileInfo(path).LinkTarget : null,
                    type == 'f' ? Sha256(path) : null,
                    null);
                found.Add((entry, status.Inode, status.Links));
            }
        }

        var groups = found.Where(f => f.Entry.Type == 'f' && f.Links > 1).GroupBy(f => f.Inode)
            .SelectMany(g => g.Select(f => (f.Entry.Path, First: g.Select(x => x.Entry.Path).Min(StringComparer.Ordinal)!)))
            .ToDictionary(x => x.Path, x => x.First, StringComparer.Ordinal);
        return [.. found.Select(f => f.Entry with { HardLinkGroup = groups.GetValueOrDefault(f.Entry.Path) }).OrderBy(e => e.Path, StringComparer.Ordinal)];
    }

    private static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static Statx Stat(string path) => statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var status) == 0
        ? status
        : throw new IOException(string.Create(CultureInfo.InvariantCulture, $"statx {path}: {Marshal.GetLastPInvokeErrorMessage()}"));

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, out Statx status);

    /// <summary>struct statx (linux/stat.h), the same on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct Statx
    {
        [FieldOffset(16)]
        public uint Links;
        [FieldOffset(20)]
        public uint Uid;
        [FieldOffset(24)]
        public uint Gid;
        [FieldOffset(28)]
        public ushort Mode;
        [FieldOffset(32)]
        public ulong Inode;
        [FieldOffset(40)]
        public ulong Size;
    }
}
