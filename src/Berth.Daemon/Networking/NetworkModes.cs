namespace Berth.Daemon.Networking;

/// <summary>What a network's traffic may reach beyond its bridge, as the API names it.</summary>
public static class NetworkModes
{
    /// <summary>Routed out of the host, masqueraded behind its address.</summary>
    public const string Nat = "nat";

    /// <summary>Routed out of the host with the containers' own addresses.</summary>
    public const string Routed = "routed";

    /// <summary>Nothing beyond the bridge: the gateway (DNS) and the network's own containers only.</summary>
    public const string Internal = "internal";
}
