using System.Security.Cryptography;
using System.Text;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Access;

/// <summary>
/// The secret that grants admin access over HTTP (the Unix socket needs none: only root can open it). Created at
/// first start in STATE_DIR/admin.token, readable by root only; never logged, never returned by the API.
/// </summary>
public sealed class AdminToken
{
    private readonly byte[] _value;

    public AdminToken(StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var file = Path.Combine(paths.Root, "admin.token");
        if (!File.Exists(file) || new FileInfo(file).Length == 0)
        {
            var fresh = Base64Url(RandomNumberGenerator.GetBytes(32));
            File.WriteAllText(file + ".tmp", fresh + "\n");
            File.SetUnixFileMode(file + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(file + ".tmp", file, overwrite: true);
        }

        _value = Encoding.UTF8.GetBytes(File.ReadAllText(file).Trim());
    }

    /// <summary>Constant-time comparison, so the time taken says nothing about how much of a guess was right.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(_value, Encoding.UTF8.GetBytes(candidate.Trim()));

    /// <summary>A key for signing things that must stop being valid when the token is replaced (see <see cref="LoginDevices"/>).</summary>
    public byte[] DeriveKey(string purpose) => HMACSHA256.HashData(_value, Encoding.UTF8.GetBytes(purpose));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
