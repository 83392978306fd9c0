namespace Berth.Client;

/// <summary>How <see cref="BerthClient.WriteFileAsync"/> writes a file: left out, mode and owners are the replaced file's, else 0644 and root.</summary>
public sealed record FileWriteOptions
{
    /// <summary>Permission bits, e.g. 0644.</summary>
    public UnixFileMode? Mode { get; init; }

    /// <summary>Owner and group as the container sees them.</summary>
    public long? Uid { get; init; }
    public long? Gid { get; init; }

    /// <summary>Create missing directories on the way (mode 0755, owned by the container's root).</summary>
    public bool CreateDirectories { get; init; }
}
