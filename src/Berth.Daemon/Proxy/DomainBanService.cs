using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>Banned domains: no route may be added for a name a ban matches; a ban is refused while routes it matches exist.</summary>
public sealed class DomainBanService(DomainBanStore bans, RouteStore routes, TimeProvider time)
{
    public async Task<IReadOnlyList<DomainBanInfo>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await bans.ListAsync(cancellationToken).ConfigureAwait(false)).Select(b => Describe(b.Pattern, b.CreatedAt))];

    public async Task<DomainBanInfo> BanAsync(DomainBanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pattern = Parse(request.Pattern);
        var matching = (await routes.ListAsync(null, cancellationToken).ConfigureAwait(false)).Where(r => DomainBan.Matches(pattern, r.Domain)).ToList();
        if (matching.Count > 0)
        {
            throw DomainError.Conflict("Domain in use", $"{pattern} matches routes that exist: {string.Join(", ", matching.Select(r => $"{r.Domain}{r.Path} to '{r.Container}'"))}; remove them first.");
        }

        var now = time.GetUtcNow();
        if (!await bans.TryInsertAsync(pattern, now, cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Already banned", $"{pattern} is banned already.");
        }

        return Describe(pattern, now);
    }

    /// <summary>Lifts a ban and returns it as it was.</summary>
    public async Task<DomainBanInfo> UnbanAsync(string text, CancellationToken cancellationToken)
    {
        var pattern = Parse(text);
        var existing = (await bans.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => b.Pattern == pattern);
        if (existing.Pattern is null || !await bans.DeleteAsync(pattern, cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.NotFound("Not banned", $"{pattern} is not banned; the bans list shows the patterns there are.");
        }

        return Describe(existing.Pattern, existing.CreatedAt);
    }

    /// <summary>Refuses a route for a banned domain.</summary>
    public async Task RequireAllowedAsync(string domain, CancellationToken cancellationToken)
    {
        var ban = (await bans.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(b => DomainBan.Matches(b.Pattern, domain));
        if (ban.Pattern is not null)
        {
            throw DomainError.Forbidden("Domain banned", $"{domain} is banned on this host (by {ban.Pattern}); ask the administrator.");
        }
    }

    private static string Parse(string text) => DomainBan.TryNormalise(text, out var pattern, out var error)
        ? pattern
        : throw DomainError.Invalid("Invalid domain pattern", error + "; give a name (example.org) or *.example.org.");

    private static DomainBanInfo Describe(string pattern, DateTimeOffset createdAt) => new()
    {
        Pattern = pattern,
        PatternUnicode = pattern.StartsWith("*.", StringComparison.Ordinal) ? "*." + DomainName.ToUnicode(pattern[2..]) : DomainName.ToUnicode(pattern),
        CreatedAt = createdAt,
    };
}
