namespace Berth.Contracts;

/// <summary>One container as the API reports it.</summary>
public sealed record ContainerInfo
{
    public required string Name { get; init; }
    public required ContainerStatus Status { get; init; }
    /// <summary>Why the status is error: what LXC could not load.</summary>
    public string? Error { get; init; }
    /// <summary>False for a container found in Berth's lxcpath that Berth did not create; it is listed, never touched.</summary>
    public bool Managed { get; init; } = true;
    /// <summary>The user who owns it; null when root does.</summary>
    public string? Owner { get; init; }
    public string? Image { get; init; }
    public bool Privileged { get; init; }
    public int? InitPid { get; init; }
    public IReadOnlyList<string> Addresses { get; init; } = [];
    /// <summary>The storage pool its root filesystem lives in.</summary>
    public string? Storage { get; init; }
    /// <summary>The managed network it is attached to, if any.</summary>
    public string? Network { get; init; }
    /// <summary>Its static IPv4 address on that network (set even while it is stopped).</summary>
    public string? Ipv4 { get; init; }
    public string? Ipv6 { get; init; }
    /// <summary>All its interfaces in order; the first is the one above, which carries the default route.</summary>
    public IReadOnlyList<ContainerNetwork> Networks { get; init; } = [];
    public long? MemoryBytes { get; init; }
    public double? CpuSeconds { get; init; }
    /// <summary>The host uid that the container's root maps to (0 when privileged).</summary>
    public long? HostRootUid { get; init; }
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>From health.command and restart.policy; null when it has neither.</summary>
    public ContainerHealth? Health { get; init; }
    /// <summary>How often its restart policy has restarted it since it was last started otherwise (by a user, at boot); kept across berthd restarts.</summary>
    public int Restarts { get; init; }
    /// <summary>The last failed run of its health command that counted towards unhealthy: exit status and output (shortened).</summary>
    public string? HealthFailure { get; init; }
    /// <summary>When that run ended.</summary>
    public DateTimeOffset? HealthFailureAt { get; init; }
    /// <summary>How its last backup (or prune or verify of its backups) ended; null when it has none.</summary>
    public BackupMark? LastBackup { get; init; }
}
