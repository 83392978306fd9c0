using System.Security.Cryptography;
using System.Text;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Backups;

/// <summary>
/// Seals secrets (AES-256-GCM) under a key file in the state directory, readable by root alone and made on first use,
/// so the database alone (a copy of it, its backup) never gives away a repository's password.
/// </summary>
public sealed class HostSecretKey(StatePaths paths)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Lock _lock = new();
    private byte[]? _key;

    public string KeyFile => Path.Combine(paths.Root, "backup.key");

    /// <summary>base64(nonce | tag | ciphertext); <paramref name="context"/> (the target's name) is bound in, so a sealed value cannot be moved to another row.</summary>
    public string Seal(string plaintext, string context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + data.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(), TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        return Convert.ToBase64String(output);
    }

    public string Open(string sealedValue, string context)
    {
        var input = Convert.FromBase64String(sealedValue);
        var plain = new byte[input.Length - NonceSize - TagSize];
        using var aes = new AesGcm(Key(), TagSize);
        try
        {
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Errors.DomainError.Conflict("Secrets unreadable", $"the secrets of backup target '{context}' cannot be opened with {KeyFile} (another host's key, or a changed file); remove the target and add it again with its recovery password.");
        }

        return Encoding.UTF8.GetString(plain);
    }

    private byte[] Key()
    {
        lock (_lock)
        {
            if (_key is not null)
            {
                return _key;
            }

            if (!File.Exists(KeyFile))
            {
                var fresh = RandomNumberGenerator.GetBytes(32);
                var partial = KeyFile + ".new";
                using (var stream = new FileStream(partial, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
                {
                    stream.Write(fresh);
                    stream.Flush(flushToDisk: true);
                }

                File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                File.Move(partial, KeyFile, overwrite: false);
            }

            var key = File.ReadAllBytes(KeyFile);
            _key = key.Length == 32 ? key : throw new InvalidOperationException($"{KeyFile} is not a 32-byte key");
            return _key;
        }
    }
}
