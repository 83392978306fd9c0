namespace Berth.Contracts;

/// <summary>
/// Body of <c>POST /api/v1/containers/import</c>: create a container from an archive file on the daemon's host (admins);
/// when the archive itself is the body, the same fields come from the query.
/// </summary>
public sealed record ImportRequest
{
    /// <summary>The archive's absolute path on the daemon's host (admins only); none when the archive is the request body.</summary>
    public string? File { get; init; }
    /// <summary>Default: the name in the archive.</summary>
    public string? Name { get; init; }
    /// <summary>Default: the default pool.</summary>
    public string? Storage { get; init; }
    /// <summary>
    /// Keep the archive's machine id, SSH host keys and addresses, for restoring a backup of the same container. Default: false,
    /// the imported container gets new ones so it cannot pass for the one it was exported from.
    /// </summary>
    public bool KeepIdentity { get; init; }
    /// <summary>Allows an archive of a privileged container to be imported as one (admins only); without it such an archive is refused.</summary>
    public bool Privileged { get; init; }
    /// <summary>
    /// The network of the first interface, the others staying on the archive's networks ("none": no interface at all).
    /// Default: the archive's networks, every interface (an archive that records none: the daemon's default network).
    /// </summary>
    public string? Network { get; init; }
    /// <summary>The IPv4 address of the first interface. Default: the lowest free one (the archived one with <see cref="KeepIdentity"/>).</summary>
    public string? Ip { get; init; }
    /// <summary>All the interfaces, one per network, in order (eth0, eth1, ...); the first carries the default route. Instead of <see cref="Network"/> and <see cref="Ip"/>.</summary>
    public IReadOnlyList<NetworkAttachment>? Networks { get; init; }
}
