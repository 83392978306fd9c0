namespace Berth.Daemon.Images;

/// <summary>Arguments of image.publish, image.export and image.import jobs.</summary>
public sealed record ImageTransferArgs
{
    public required string Alias { get; init; }
    /// <summary>The fingerprint the image has (export) or will have (publish, import), so an interrupted job can be cleaned up.</summary>
    public required string Fingerprint { get; init; }
    public string? Container { get; init; }
    public string? Snapshot { get; init; }
    /// <summary>For publish: the recipe the new image records (which container, which snapshot, when).</summary>
    public string? Recipe { get; init; }
    public string? File { get; init; }
    public string? Sha256 { get; init; }
    /// <summary>For publish: the member the new image belongs to (null: everybody's).</summary>
    public string? Owner { get; init; }
}
