using Berth.Contracts;

namespace Berth.Client;

/// <summary>The audit log (admins only).</summary>
public sealed partial class BerthClient
{
    /// <summary>The newest audit records first; <paramref name="since"/> is a period back from now (1d, 12h) or a time (2026-12-01T00:00:00Z).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? user = null, string? since = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>(3);
        if (!string.IsNullOrEmpty(user))
        {
            query.Add("user=" + Uri.EscapeDataString(user));
        }

        if (!string.IsNullOrEmpty(since))
        {
            query.Add("since=" + Uri.EscapeDataString(since));
        }

        if (limit is { } n)
        {
            query.Add("limit=" + FormatInvariant(n));
        }

        var path = query.Count == 0 ? "api/v1/audit" : "api/v1/audit?" + string.Join('&', query);
        return await GetAsync<AuditEntry[]>(path, cancellationToken).ConfigureAwait(false);
    }
}
