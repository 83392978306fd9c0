namespace Berth.Daemon.Storage;

/// <summary>
/// A snapshot's whole root filesystem, readable at <see cref="Path"/> until disposed: the snapshot itself where the
/// pool stores whole trees, a read-only mount where it stores only changes (overlay).
/// </summary>
public sealed class SnapshotTree(string path, long? shift, Func<Task>? close = null) : IAsyncDisposable
{
    public string Path { get; } = path;

    /// <summary>The host id container root has in the tree, or null when it is stored as the container sees it.</summary>
    public long? Shift { get; } = shift;

    public ValueTask DisposeAsync() => close is null ? ValueTask.CompletedTask : new(close());
}
