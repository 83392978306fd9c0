namespace Berth.Contracts;

/// <summary>An RFC 9457 problem document, as every API error is returned.</summary>
public sealed record ProblemInfo
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public int? Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
}
