namespace Berth.Daemon.Containers;

/// <summary>A container given to another user (<paramref name="To"/> null: to root).</summary>
public sealed record OwnerChange(string? To);
