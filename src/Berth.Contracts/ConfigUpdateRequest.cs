namespace Berth.Contracts;

/// <summary>Body of <c>PATCH /api/v1/containers/{name}/config</c>: keys to set and keys to reset to their default.</summary>
public sealed record ConfigUpdateRequest
{
    public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Unset { get; init; } = [];
}
