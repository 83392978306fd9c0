using System.Security.Cryptography;
using Berth.Contracts;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Networking;

/// <summary>
/// root's authorized_keys in a container's rootfs. The rootfs is owned by host root and idmapped into the container,
/// so the files are written as plain root (0700/0600) through <see cref="Storage.RootfsFiles"/>, which refuses a
/// symlink anywhere on the way, since the container could point it at the host's own files.
/// </summary>
public sealed class AuthorizedKeys(Storage.RootfsFiles files)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    private const string KeysFile = "root/.ssh/authorized_keys";

    public async Task<IReadOnlyList<SshKeyInfo>> ListAsync(string container, CancellationToken cancellationToken) =>
        [.. (await ReadAsync(container, cancellationToken).ConfigureAwait(false)).Select(Describe)];

    public async Task AddAsync(string container, SshPublicKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keys = await ReadAsync(container, cancellationToken).ConfigureAwait(false);
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
            var keys = await ReadAsync(container, cancellationToken).ConfigureAwait(false);
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

    private async Task<List<SshPublicKey>> ReadAsync(string container, CancellationToken cancellationToken)
    {
        var text = await files.ReadAsync(container, KeysFile, cancellationToken).ConfigureAwait(false);
        return text is null ? [] : [.. text.Split('\n').Select(l => SshPublicKey.TryParse(l, out var k, out _) ? k : null).OfType<SshPublicKey>()];
    }

    private async Task WriteAsync(string container, IReadOnlyList<SshPublicKey> keys, CancellationToken cancellationToken)
    {
        await files.WriteAsync(
            container,
            KeysFile,
            string.Concat(keys.Select(k => Hosting.ControlCharacters.RefuseIn(k.Line, "authorized_keys") + "\n")),
            UnixFileMode.UserRead | UnixFileMode.UserWrite,
            cancellationToken,
            directoryMode: UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).ConfigureAwait(false);
    }
}
