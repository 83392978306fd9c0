namespace Berth.Contracts;

/// <summary>One endpoint berthd serves and what it needs (<c>GET /api/v1/admin/endpoints</c>).</summary>
public sealed record EndpointInfo
{
    public required string Method { get; init; }
    public required string Route { get; init; }
    /// <summary>"open", or who may call it ("caller" or "admin"), whether it "reads" or "changes", and the object a member must own.</summary>
    public required string Permission { get; init; }
}
