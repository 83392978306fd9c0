namespace Berth.Contracts;

/// <summary>The headers GET /api/v1/containers/{name}/files answers with, describing the file whose bytes follow.</summary>
public static class FileHeaders
{
    /// <summary>file, directory, symlink, char-device, block-device, fifo or socket (see <see cref="FileEntryInfo.Type"/>).</summary>
    public const string Type = "X-Berth-Type";

    /// <summary>Permission bits in octal, e.g. 0644.</summary>
    public const string Mode = "X-Berth-Mode";

    /// <summary>Owner and group as the container sees them.</summary>
    public const string Uid = "X-Berth-Uid";
    public const string Gid = "X-Berth-Gid";

    /// <summary>The size when the answer started; the body is the file's bytes as read.</summary>
    public const string Size = "X-Berth-Size";

    /// <summary>The modification time, RFC 3339.</summary>
    public const string ModifiedAt = "X-Berth-Mtime";

    /// <summary>A symbolic link's target (percent-encoded UTF-8), which is not followed.</summary>
    public const string Link = "X-Berth-Link";

    public const string TarMediaType = "application/x-tar";
}
