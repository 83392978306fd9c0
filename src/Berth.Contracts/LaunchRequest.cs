namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers</c>: create a container from an image and (by default) start it.</summary>
public sealed record LaunchRequest
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    public IReadOnlyDictionary<string, string>? Config { get; init; }
    public bool Start { get; init; } = true;
}
