namespace Berth.Contracts;

/// <summary>An RFC 9457 problem document, as every API error is returned.</summary>
public sealed record ProblemInfo
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public int? Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
    /// <summary>Every error found at once, when there are several (a stack file's, one per line: FILE:LINE: FIELD: what is wrong).</summary>
    public IReadOnlyList<string>? Errors { get; init; }
}
