namespace Berth.Contracts;

/// <summary>A storage pool: where container root filesystems live, and how (dir copies or btrfs copy-on-write).</summary>
public sealed record StoragePoolInfo
{
    public required string Name { get; init; }
    /// <summary>dir or btrfs.</summary>
    public required string Driver { get; init; }
    public required string Path { get; init; }
    /// <summary>The loop file Berth created for the pool, if it made one.</summary>
    public string? LoopFile { get; init; }
    public long? SizeBytes { get; init; }
    public required bool CopyOnWrite { get; init; }
    public required int Containers { get; init; }
    /// <summary>Bytes used on the filesystem the pool lives on (its loop file's for btrfs pools); null for members and when it cannot be read.</summary>
    public long? DiskUsedBytes { get; init; }
    /// <summary>The size of that filesystem; null for members and when it cannot be read.</summary>
    public long? DiskTotalBytes { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
