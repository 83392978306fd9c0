namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/domain-bans</c>.</summary>
public sealed record DomainBanRequest
{
    /// <summary>example.org (that name only) or *.example.org (every name below it).</summary>
    public required string Pattern { get; init; }
}
