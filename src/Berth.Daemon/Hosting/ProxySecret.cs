using System.Security.Cryptography;
using System.Text;

namespace Berth.Daemon.Hosting;

/// <summary>
/// The value berthd's own nginx sends in <see cref="HeaderName"/> on the panel's route: a request carrying it came
/// through that nginx, so its forwarded headers are nginx's and not a client's. Random, made at the first start, kept
/// in STATE_DIR/proxy.secret (root only) so a restart keeps the running nginx's configuration valid.
/// </summary>
public sealed class ProxySecret
{
    public const string HeaderName = "X-Berth-Proxy-Secret";

    private readonly byte[] _value;

    public ProxySecret(StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var file = Path.Combine(paths.Root, "proxy.secret");
        if (!File.Exists(file) || File.ReadAllText(file).Trim() is not { Length: 64 } stored)
        {
            stored = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var staged = file + ".new";
            File.WriteAllText(staged, "", Encoding.ASCII);
            File.SetUnixFileMode(staged, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.WriteAllText(staged, stored + "\n", Encoding.ASCII);
            File.Move(staged, file, overwrite: true);
        }

        Value = stored;
        _value = Encoding.ASCII.GetBytes(stored);
    }

    /// <summary>The secret as written into nginx's configuration (hex).</summary>
    public string Value { get; }

    /// <summary>Whether <paramref name="given"/> is the secret, compared in fixed time.</summary>
    public bool Matches(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _value);
}
