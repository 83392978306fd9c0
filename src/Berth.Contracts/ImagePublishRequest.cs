namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/images/publish</c>: make an image of a stopped container, or of one of its snapshots.</summary>
public sealed record ImagePublishRequest
{
    public required string Container { get; init; }
    /// <summary>Publish this snapshot (the container may run meanwhile); default: the container itself, which must be stopped.</summary>
    public string? Snapshot { get; init; }
    /// <summary>The new image's name.</summary>
    public required string Alias { get; init; }
}
