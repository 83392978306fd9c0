namespace Berth.Daemon.Stacks;

/// <summary>A base: an image with packages, files and commands, built once into a stopped container that stack containers are copied from.</summary>
public sealed record StackBase
{
    public required string Key { get; init; }

    public required string Image { get; init; }

    public IReadOnlyList<string> Packages { get; init; } = [];

    public IReadOnlyList<StackFileCopy> Files { get; init; } = [];

    /// <summary>The storage pool the base is built in; its copies are made in the same pool (snapshots on btrfs and overlay). Null: the default pool.</summary>
    public string? Storage { get; init; }

    /// <summary>Commands run in the base with sh -c, in order, as the stack author wrote them.</summary>
    public IReadOnlyList<string> Run { get; init; } = [];
}
