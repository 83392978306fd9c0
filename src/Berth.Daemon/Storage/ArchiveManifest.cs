namespace Berth.Daemon.Storage;

/// <summary>berth.json, the first member of a container archive: what the container is, so another host can recreate it.</summary>
public sealed record ArchiveManifest
{
    public const string Kind = "berth-container";
    /// <summary>2: symbolic link targets are stored as they are (version 1 renamed those starting with ".").</summary>
    public const int CurrentVersion = 2;

    public string Format { get; init; } = Kind;
    public int Version { get; init; } = CurrentVersion;
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required bool Privileged { get; init; }
    public required IReadOnlyDictionary<string, string> Config { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExportedAt { get; init; }
    public required string Architecture { get; init; }
    /// <summary>The distribution's LXC include files (e.g. debian), so a host that does not know the image renders it the same.</summary>
    public string? LxcProfile { get; init; }
    /// <summary>The signal that halts its init (e.g. SIGUSR1 for busybox).</summary>
    public string? HaltSignal { get; init; }
    /// <summary>Snapshots included under snapshots/NAME/, oldest first.</summary>
    public IReadOnlyList<ArchivedSnapshot> Snapshots { get; init; } = [];
}
