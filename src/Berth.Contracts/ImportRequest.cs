namespace Berth.Contracts;

/// <summary>Body of <c>POST /api/v1/containers/import</c>: create a container from an archive file on the daemon's host.</summary>
public sealed record ImportRequest
{
    public required string File { get; init; }
    /// <summary>Default: the name in the archive.</summary>
    public string? Name { get; init; }
    /// <summary>Default: the default pool.</summary>
    public string? Storage { get; init; }
    /// <summary>
    /// Keep the archive's machine id and SSH host keys, for restoring a backup of the same container. Default: false,
    /// the imported container gets new ones so it cannot pass for the one it was exported from.
    /// </summary>
    public bool KeepIdentity { get; init; }
    /// <summary>Allows an archive of a privileged container to be imported as one (admins only); without it such an archive is refused.</summary>
    public bool Privileged { get; init; }
    /// <summary>The network to join ("none" for none). Default: the daemon's default network.</summary>
    public string? Network { get; init; }
    /// <summary>The IPv4 address on that network. Default: the lowest free one.</summary>
    public string? Ip { get; init; }
}
