namespace Berth.Daemon.Images;

/// <summary>
/// What is stored next to a cached root filesystem (image.json), and the first member of an image archive
/// (docs/archive-format.md): enough to recreate the image's definition on another host.
/// </summary>
public sealed record ImageMetadata
{
    public const string Kind = "berth-image";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = Kind;
    public int Version { get; init; } = CurrentVersion;
    public required string Alias { get; init; }
    /// <summary>sha256 of <see cref="Recipe"/>.</summary>
    public required string Fingerprint { get; init; }
    public required string Os { get; init; }
    public required string Release { get; init; }
    public required string Architecture { get; init; }
    public required string Recipe { get; init; }
    public required long SizeBytes { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public IReadOnlyList<string> Packages { get; init; } = [];
    public string? LxcProfile { get; init; }
    public string? HaltSignal { get; init; }
}
