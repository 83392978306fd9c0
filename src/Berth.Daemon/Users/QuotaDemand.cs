using Berth.Daemon.Access;

namespace Berth.Daemon.Users;

/// <summary>
/// What an insert adds to its owner's usage, checked by <see cref="QuotaLedger"/> in the insert's own transaction.
/// An amount of null is unbounded (the new container sets no such limit).
/// </summary>
public sealed record QuotaDemand
{
    /// <summary>Whose quota pays: the owner of the object created or of the container it belongs to (null: root's, never limited).</summary>
    public required string? Owner { get; init; }

    /// <summary>The container the new object belongs to (a forward, a snapshot): its owner, read in the transaction, pays.</summary>
    public string? OfContainer { get; init; }

    /// <summary>Admins and root are not limited, also when they act for a member (their objects still count in the member's usage).</summary>
    public required bool Exempt { get; init; }

    /// <summary>The user a job was requested by; an admin user there is exempt too.</summary>
    public string? RequestedBy { get; init; }

    public required IReadOnlyDictionary<QuotaResource, long?> Adds { get; init; }

    /// <summary>The container whose limits the amounts replace (a configuration change); its current limits are not counted.</summary>
    public string? Replacing { get; init; }

    /// <summary>A new container (launch, copy) with <paramref name="config"/>.</summary>
    public static QuotaDemand ForContainer(Caller? caller, string? owner, IReadOnlyDictionary<string, string> config) => new()
    {
        Owner = owner,
        Exempt = IsExempt(caller),
        Adds = QuotaResource.All.Where(r => r.ConfigKey is not null).ToDictionary(r => r, r => r.AmountOf(config)).Append(new(QuotaResource.Containers, 1)).ToDictionary(),
    };

    /// <summary>A configuration change: only the limits it raises (or removes) are checked, so lowering one is always allowed.</summary>
    public static QuotaDemand ForConfigChange(bool exempt, string? requestedBy, string container, string? owner, IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) => new()
    {
        Owner = owner,
        Exempt = exempt,
        RequestedBy = requestedBy,
        Replacing = container,
        Adds = QuotaResource.All.Where(r => r.ConfigKey is not null && Raises(r.AmountOf(before), r.AmountOf(after))).ToDictionary(r => r, r => r.AmountOf(after)),
    };

    /// <summary>One network of the caller's own.</summary>
    public static QuotaDemand ForNetwork(Caller caller) => new()
    {
        Owner = caller?.Name,
        Exempt = IsExempt(caller),
        Adds = new Dictionary<QuotaResource, long?> { [QuotaResource.Networks] = 1 },
    };

    /// <summary>One forward, or one SSH port.</summary>
    public static QuotaDemand ForForward(Caller? caller, string container, bool ssh) => new()
    {
        Owner = null,
        OfContainer = container,
        Exempt = IsExempt(caller),
        Adds = new Dictionary<QuotaResource, long?> { [ssh ? QuotaResource.Ssh : QuotaResource.Forwards] = 1 },
    };

    /// <summary>One proxy route to <paramref name="container"/>.</summary>
    public static QuotaDemand ForRoute(Caller? caller, string container) => new()
    {
        Owner = null,
        OfContainer = container,
        Exempt = IsExempt(caller),
        Adds = new Dictionary<QuotaResource, long?> { [QuotaResource.Routes] = 1 },
    };

    /// <summary>One snapshot; <paramref name="requestedBy"/> is the job's requester, when a job inserts it.</summary>
    public static QuotaDemand ForSnapshot(bool exempt, string? requestedBy, string container) => new()
    {
        Owner = null,
        OfContainer = container,
        Exempt = exempt,
        RequestedBy = requestedBy,
        Adds = new Dictionary<QuotaResource, long?> { [QuotaResource.Snapshots] = 1 },
    };

    /// <summary>One backup of <paramref name="container"/>; <paramref name="requestedBy"/> is the job's requester, when a job takes it.</summary>
    public static QuotaDemand ForBackup(bool exempt, string? requestedBy, string container) => new()
    {
        Owner = null,
        OfContainer = container,
        Exempt = exempt,
        RequestedBy = requestedBy,
        Adds = new Dictionary<QuotaResource, long?> { [QuotaResource.Backups] = 1 },
    };

    /// <summary>Whether a request's caller is free of quotas: admins and root; the daemon's schedulers are limited like the member they work for.</summary>
    public static bool IsExempt(Caller? caller) => caller is { IsAdmin: true } && !ReferenceEquals(caller, Caller.System);

    /// <summary>Whether a job's requester is free of quotas before its role is known: root (null) is; a user's role is looked up.</summary>
    public static bool IsExempt(string? requestedBy) => requestedBy is null;

    private static bool Raises(long? before, long? after) => after is null ? before is not null : before is not null && after > before;
}
