using System.Buffers.Binary;
using System.Text;

namespace Berth.Daemon.Networking;

/// <summary>An OpenSSH public key line: TYPE BASE64 [COMMENT], whose blob starts with the same type name.</summary>
public sealed record SshPublicKey(string Type, string Blob, string Comment)
{
    private const int MaxLength = 8192;

    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    };

    /// <summary>The line as written to authorized_keys.</summary>
    public string Line => Comment.Length == 0 ? $"{Type} {Blob}" : $"{Type} {Blob} {Comment}";

    public static bool TryParse(string? text, out SshPublicKey? key, out string error)
    {
        key = null;
        var line = (text ?? "").Trim();
        if (line.Contains('\n', StringComparison.Ordinal) || line.Contains('\r', StringComparison.Ordinal))
        {
            error = "a key is one line";
            return false;
        }

        // authorized_keys is read line by line by sshd: a NUL, tab or escape in a comment has no business there.
        if (Hosting.ControlCharacters.Any(line))
        {
            error = "a key holds no control characters (NUL, tab, escape); remove them from the comment";
            return false;
        }

        if (line.Length > MaxLength)
        {
            error = $"a key line is at most {MaxLength} characters (a 16384-bit RSA key is about 2,800); shorten the comment";
            return false;
        }

        var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !Types.Contains(parts[0]))
        {
            error = $"expected 'TYPE BASE64 [COMMENT]' with TYPE one of {string.Join(", ", Types)}";
            return false;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            error = "the key data is not valid base64";
            return false;
        }

        // The blob is a sequence of SSH strings (uint32 length + bytes); the first names the key type again.
        if (blob.Length < 4 || BinaryPrimitives.ReadUInt32BigEndian(blob) is var length && length > blob.Length - 4
            || Encoding.ASCII.GetString(blob, 4, (int)BinaryPrimitives.ReadUInt32BigEndian(blob)) != parts[0])
        {
            error = $"the key data does not hold a {parts[0]} key";
            return false;
        }

        error = "";
        key = new SshPublicKey(parts[0], parts[1], parts.Length == 3 ? parts[2].Trim() : "");
        return true;
    }
}
