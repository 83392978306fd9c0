namespace Berth.Contracts;

/// <summary>A banned domain pattern: an exact name, or "*.suffix" for every name below it.</summary>
public sealed record DomainBanInfo
{
    /// <summary>As stored: punycode, lower case.</summary>
    public required string Pattern { get; init; }
    /// <summary>The same in Unicode.</summary>
    public required string PatternUnicode { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
