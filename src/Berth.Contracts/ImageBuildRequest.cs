namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/images</c>: build (or rebuild) a known image and cache it.</summary>
public sealed record ImageBuildRequest
{
    public required string Alias { get; init; }
}
