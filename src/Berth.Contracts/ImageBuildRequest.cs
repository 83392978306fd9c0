namespace Berth.Contracts;

/// <summary>
/// Body of <c>POST /api/v1/images</c>: build an image and cache it. With <see cref="Packages"/> or <see cref="As"/>,
/// a new image is defined first: <see cref="Alias"/> (a Debian image) plus the packages, named <see cref="As"/>.
/// A recipe that is already cached is not built again unless <see cref="Force"/>.
/// </summary>
public sealed record ImageBuildRequest
{
    public required string Alias { get; init; }
    public IReadOnlyList<string>? Packages { get; init; }
    public string? As { get; init; }
    public bool Force { get; init; }
}
