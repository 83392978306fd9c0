namespace Berth.Daemon.Images;

/// <summary>What is stored next to a cached root filesystem (image.json).</summary>
public sealed record ImageMetadata
{
    public required string Alias { get; init; }
    public required string Fingerprint { get; init; }
    public required string Os { get; init; }
    public required string Release { get; init; }
    public required string Architecture { get; init; }
    public required string Recipe { get; init; }
    public required long SizeBytes { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
