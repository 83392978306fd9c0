namespace Berth.Contracts;

/// <summary>A user's quota: every resource with its limit (none: unlimited) and what the user's objects take of it.</summary>
public sealed record QuotaInfo
{
    public required string User { get; init; }
    public required IReadOnlyList<QuotaItem> Items { get; init; }
}
