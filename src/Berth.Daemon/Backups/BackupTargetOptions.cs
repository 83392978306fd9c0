using System.Globalization;
using Berth.Contracts;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Backups;

/// <summary>
/// What a target needs besides a URL and environment: an sftp target's ssh key and port, an https target's CA
/// certificate. Kept sealed with the password; written to private files in the target's own directory for each run.
/// </summary>
public static class BackupTargetOptions
{
    private const int MaxPem = 64 * 1024;

    /// <summary>Checks the options of <paramref name="request"/> for a target of <paramref name="kind"/>, or throws a 400 problem.</summary>
    public static void Validate(BackupTargetCreateRequest request, string kind)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.SshKey is not null || request.SshPort is not null) && kind != "sftp")
        {
            throw DomainError.Invalid("Option of another kind of target", "sshKey and sshPort are for sftp: targets; give an sftp:[user@]host:/path url or leave them out.");
        }

        if (request.CaCert is not null && !(kind is "s3" or "rest" && request.Url.Contains("https://", StringComparison.Ordinal)))
        {
            throw DomainError.Invalid("Option of another kind of target", "caCert is for s3:https:// and rest:https:// targets; give such a url or leave it out.");
        }

        if (request.SshKey is { } key && (key.Length > MaxPem || !key.Contains("PRIVATE KEY-----", StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal)))
        {
            throw DomainError.Invalid("Invalid ssh key", "sshKey is the text of an unencrypted ssh private key file (-----BEGIN OPENSSH PRIVATE KEY-----...), at most 64 KiB.");
        }

        if (request.SshPort is { } port && port is < 1 or > 65535)
        {
            throw DomainError.Invalid("Invalid ssh port", $"sshPort {port.ToString(CultureInfo.InvariantCulture)} is not a port; give 1-65535.");
        }

        if (request.CaCert is { } cert && (cert.Length > MaxPem || !cert.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) || cert.Contains('\0', StringComparison.Ordinal)))
        {
            throw DomainError.Invalid("Invalid CA certificate", "caCert is PEM text (-----BEGIN CERTIFICATE-----...), at most 64 KiB.");
        }
    }

    /// <summary>restic's global options for a target, writing the key and certificate into <paramref name="dir"/> (0700, files 0600).</summary>
    public static IReadOnlyList<string> Write(string url, BackupTargetSecrets secrets, string dir)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.SshKey is null && secrets.SshPort is null && secrets.CaCert is null)
        {
            return [];
        }

        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        List<string> options = [];
        if (secrets.CaCert is { } cert)
        {
            var file = Path.Combine(dir, "ca.pem");
            WritePrivate(file, cert);
            options.AddRange(["--cacert", file]);
        }

        if (url.StartsWith("sftp:", StringComparison.Ordinal))
        {
            // [user@]host of sftp:[user@]host:/path (the grammar of BackupTargetUrl: no spaces, no leading '-').
            var rest = url["sftp:".Length..];
            var end = rest.StartsWith('[') || rest.Contains("@[", StringComparison.Ordinal) ? rest.IndexOf("]:", StringComparison.Ordinal) + 1 : rest.IndexOf(':', StringComparison.Ordinal);
            var destination = rest[..end];
            List<string> ssh = ["ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile=" + Path.Combine(dir, "known_hosts")];
            if (secrets.SshPort is { } port)
            {
                ssh.AddRange(["-p", port.ToString(CultureInfo.InvariantCulture)]);
            }

            if (secrets.SshKey is { } key)
            {
                var file = Path.Combine(dir, "ssh_key");
                WritePrivate(file, key.EndsWith('\n') ? key : key + "\n");
                ssh.AddRange(["-i", file, "-o", "IdentitiesOnly=yes"]);
            }

            ssh.AddRange([destination.Replace("[", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal), "-s", "sftp"]);
            options.AddRange(["-o", "sftp.command=" + string.Join(' ', ssh)]);
        }

        return options;
    }

    private static void WritePrivate(string file, string text)
    {
        using (var stream = new FileStream(file, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text.ReplaceLineEndings("\n"));
        }

        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
