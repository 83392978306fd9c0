using System.Text.RegularExpressions;
using Berth.Daemon.Errors;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Backups;

/// <summary>The repository URLs a target may have, checked against their grammar where they enter (they reach restic's command line).</summary>
public static partial class BackupTargetUrl
{
    /// <summary>The restic repository string for <paramref name="url"/> and its kind (local, sftp, rest, s3), or a 400 problem saying what is wrong.</summary>
    public static (string Repository, string Kind) Parse(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || ControlCharacters.Any(url) || url.Contains(' ', StringComparison.Ordinal) || url.StartsWith('-'))
        {
            throw Invalid(url);
        }

        if (url.StartsWith('/'))
        {
            url = "local:" + url;
        }

        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? "" : url[..colon];
        var rest = colon < 0 ? "" : url[(colon + 1)..];
        var valid = kind switch
        {
            "local" => Path.IsPathFullyQualified(rest) && !rest.Split('/').Contains(".."),
            "sftp" => SftpPattern().IsMatch(rest),
            "rest" or "s3" => Uri.TryCreate(rest, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0
                && (kind == "rest" || uri.AbsolutePath.Trim('/').Length > 0),
            _ => false,
        };
        return valid ? (kind == "local" ? "local:" + Path.GetFullPath(rest) : url, kind) : throw Invalid(url);
    }

    private static DomainError Invalid(string? url) => DomainError.Invalid(
        "Invalid backup target URL",
        $"'{ControlCharacters.Visible(url)}' is not a backup target URL; url is one of local:/path (or /path), sftp:user@host:/path, rest:http(s)://host:port/path, s3:http(s)://host/bucket, with credentials in env rather than in the URL.");

    // User and host start with a letter or digit: ssh would read a leading '-' as one of its options.
    [GeneratedRegex(@"^([A-Za-z0-9_][A-Za-z0-9._-]*@)?([A-Za-z0-9][A-Za-z0-9.-]*|\[[0-9A-Fa-f:]+\]):/\S*$")]
    private static partial Regex SftpPattern();
}
