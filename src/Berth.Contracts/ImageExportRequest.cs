namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/images/export</c>: write an image to an archive on the daemon's host, and its sha256 to FILE.sha256.</summary>
public sealed record ImageExportRequest
{
    public required string Alias { get; init; }
    /// <summary>Absolute path of the archive to write; it must not exist.</summary>
    public required string File { get; init; }
}
