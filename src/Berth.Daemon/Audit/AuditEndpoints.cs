using System.Globalization;
using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Api;
using Berth.Daemon.Storage;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Audit;

/// <summary>GET /api/v1/audit: the newest audit records, for admins.</summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder api) =>
        api.MapGet("/audit", async (string? user, string? since, int? limit, AuditStore store, TimeProvider time, CancellationToken ct) =>
        {
            if (limit is < 1 or > MaxLimit)
            {
                throw DomainError.Invalid("Invalid limit", $"limit must be between 1 and {MaxLimit.ToString(CultureInfo.InvariantCulture)}.");
            }

            var records = await store.ListAsync(string.IsNullOrEmpty(user) ? null : user, Since(since, time), limit ?? DefaultLimit, ct).ConfigureAwait(false);
            return records.Select(ToEntry);
        }).WithTags("Audit").AdminReads();

    /// <summary>since=1d (a period back from now) or since=2026-12-01T00:00:00Z (a moment).</summary>
    private static DateTimeOffset? Since(string? since, TimeProvider time)
    {
        if (string.IsNullOrEmpty(since))
        {
            return null;
        }

        if (Durations.TryParse(since, out var period))
        {
            return time.GetUtcNow() - period;
        }

        return DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)
            ? moment
            : throw DomainError.Invalid("Invalid since", $"since '{Hosting.ControlCharacters.Visible(since)}' is neither a period such as 30m, 12h, 1d or 2w nor a time such as 2026-12-01T00:00:00Z.");
    }

    private static AuditEntry ToEntry(AuditRecord r) => new()
    {
        Id = r.Id,
        At = r.At,
        User = r.User,
        Token = r.Token,
        Address = r.Address,
        Method = r.Method,
        Path = r.Path,
        Action = r.Action,
        Target = r.Target,
        Status = r.Status,
        JobId = r.JobId,
        Detail = r.Detail,
    };
}
