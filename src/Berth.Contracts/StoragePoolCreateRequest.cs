namespace Berth.Contracts;

/// <summary>
/// Body of <c>POST /api/v1/storage-pools</c>. A btrfs pool uses an existing btrfs mount (<see cref="Source"/>) or a
/// loop file of <see cref="Size"/> that Berth creates and mounts; a dir pool uses <see cref="Source"/> or a directory
/// under the state directory.
/// </summary>
public sealed record StoragePoolCreateRequest
{
    public required string Name { get; init; }
    public required string Driver { get; init; }
    public string? Source { get; init; }
    /// <summary>e.g. 20GiB.</summary>
    public string? Size { get; init; }
}
