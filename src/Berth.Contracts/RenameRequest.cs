namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/rename</c>: give a stopped container a new name.</summary>
public sealed record RenameRequest
{
    public required string Name { get; init; }
}
