namespace Berth.Daemon.Storage;

/// <summary>Where container root filesystems live, and with which driver.</summary>
public sealed record StoragePool
{
    /// <summary>The pool every state directory has: plain directories in Berth's lxcpath.</summary>
    public const string DefaultName = "default";

    public required string Name { get; init; }

    /// <summary>dir or btrfs.</summary>
    public required string Driver { get; init; }

    /// <summary>The directory the pool's data lives under (for btrfs, the filesystem's mount point).</summary>
    public required string Path { get; init; }

    /// <summary>The loop file Berth created for the pool, or null when it uses an existing filesystem.</summary>
    public string? LoopFile { get; init; }

    public long? SizeBytes { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
