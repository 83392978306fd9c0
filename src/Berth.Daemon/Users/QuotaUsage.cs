namespace Berth.Daemon.Users;

/// <summary>What a user's objects take of each resource; null where a container sets no such limit (named in <see cref="UnboundedBy"/>).</summary>
public sealed record QuotaUsage(IReadOnlyDictionary<QuotaResource, long?> Used, IReadOnlyDictionary<QuotaResource, string> UnboundedBy);
