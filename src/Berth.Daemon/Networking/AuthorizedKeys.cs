using System.Security.Cryptography;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Networking;

/// <summary>
/// root's authorized_keys in a container's rootfs. The rootfs is owned by host root and idmapped into the container,
/// so the files are written as plain root (0700/0600); a symlink anywhere on the way is refused, since the container
/// could point it at the host's own files.
/// </summary>
public sealed class AuthorizedKeys(StatePaths paths)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IReadOnlyList<SshKeyInfo> List(string container) => [.. Read(container).Select(Describe)];

    public async Task AddAsync(string container, SshPublicKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keys = Read(container);
            if (keys.Any(k => k.Blob == key.Blob))
            {
                return;
            }

            await WriteAsync(container, [.. keys, key], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes the keys whose fingerprint or comment is <paramref name="which"/>; false when none matched.</summary>
    public async Task<bool> RemoveAsync(string container, string which, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keys = Read(container);
            var kept = keys.Where(k => Fingerprint(k) != which && k.Comment != which).ToList();
            if (kept.Count == keys.Count)
            {
                return false;
            }

            await WriteAsync(container, kept, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public static string Fingerprint(SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(key.Blob))).TrimEnd('=');
    }

    private static SshKeyInfo Describe(SshPublicKey key) => new() { Type = key.Type, Fingerprint = Fingerprint(key), Comment = key.Comment };

    private List<SshPublicKey> Read(string container)
    {
        var file = FilePath(container);
        if (!File.Exists(file))
        {
            return [];
        }

        return [.. File.ReadAllLines(file).Select(l => SshPublicKey.TryParse(l, out var k, out _) ? k : null).OfType<SshPublicKey>()];
    }

    private async Task WriteAsync(string container, IReadOnlyList<SshPublicKey> keys, CancellationToken cancellationToken)
    {
        var dir = Path.GetDirectoryName(FilePath(container))!;
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temp = Path.Combine(dir, ".authorized_keys.berth");
        File.Delete(temp);
        await File.WriteAllTextAsync(temp, string.Concat(keys.Select(k => k.Line + "\n")), cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, FilePath(container), overwrite: true);
    }

    private string FilePath(string container)
    {
        var rootfs = paths.ContainerRootfs(container);
        var path = rootfs;
        foreach (var part in new[] { "root", ".ssh", "authorized_keys" })
        {
            path = Path.Combine(path, part);
            if (new FileInfo(path).LinkTarget is not null)
            {
                throw BerthProblem.Conflict("Unsafe path in the container", $"/{Path.GetRelativePath(rootfs, path)} in '{container}' is a symbolic link; Berth does not follow links out of a container's files.");
            }
        }

        return path;
    }
}
