namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/images/import</c>: add an image from an archive written by image export.</summary>
public sealed record ImageImportRequest
{
    /// <summary>Absolute path of the archive on the daemon's host.</summary>
    public required string File { get; init; }
    /// <summary>Default: the alias in the archive.</summary>
    public string? Alias { get; init; }
    /// <summary>The archive's expected sha256; default: the one in FILE.sha256 when that file exists.</summary>
    public string? Sha256 { get; init; }
}
