namespace Berth.Contracts;

/// <summary>Body of <c>PATCH /api/v1/users/{name}/quota</c>: limits to set (e.g. memory: "2GiB", containers: "3") and limits to remove.</summary>
public sealed record QuotaUpdateRequest
{
    public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Unset { get; init; } = [];
}
