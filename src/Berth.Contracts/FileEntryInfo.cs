namespace Berth.Contracts;

/// <summary>A name in a container's files, looked at without following it; owners are the ids the container sees.</summary>
public sealed record FileEntryInfo
{
    public required string Name { get; init; }

    /// <summary>file, directory, symlink, char-device, block-device, fifo or socket.</summary>
    public required string Type { get; init; }

    /// <summary>Permission bits in octal, e.g. 0644 (4 digits, setuid/setgid/sticky first).</summary>
    public required string Mode { get; init; }

    public required long Uid { get; init; }
    public required long Gid { get; init; }
    public required long Size { get; init; }
    public required DateTimeOffset ModifiedAt { get; init; }

    /// <summary>What a symbolic link points to, as stored (never followed).</summary>
    public string? Link { get; init; }
}
