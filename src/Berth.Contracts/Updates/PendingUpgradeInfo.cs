namespace Berth.Contracts;

/// <summary>A package apt would upgrade (apt list --upgradable after apt-get update).</summary>
public sealed record PendingUpgradeInfo
{
    public required string Package { get; init; }
    public required string Installed { get; init; }
    public required string Candidate { get; init; }
}
