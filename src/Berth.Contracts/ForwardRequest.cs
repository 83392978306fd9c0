namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/{name}/forwards</c>.</summary>
public sealed record ForwardRequest
{
    /// <summary>HOST:CONTAINER/PROTOCOL, e.g. 8080:80/tcp, 5353:53/udp or 8000-8010:8000-8010/tcp.</summary>
    public required string Ports { get; init; }
    /// <summary>Only forward traffic sent to this host IPv4 address; null: any of the host's addresses.</summary>
    public string? ListenAddress { get; init; }
    /// <summary>Forward a host port that a host service uses by convention (22, 53, ...; see docs/api.md) anyway.</summary>
    public bool Force { get; init; }
}
