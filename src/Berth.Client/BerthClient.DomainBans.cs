using Berth.Contracts;

namespace Berth.Client;

/// <summary>Proxy calls: banned domains.</summary>
public sealed partial class BerthClient
{
    public async Task<IReadOnlyList<DomainBanInfo>> ListDomainBansAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<DomainBanInfo[]>("api/v1/domain-bans", cancellationToken).ConfigureAwait(false);

    /// <summary>Bans example.org, or *.example.org for every name below it.</summary>
    public Task<DomainBanInfo> BanDomainAsync(string pattern, CancellationToken cancellationToken = default) =>
        SendAsync<DomainBanInfo>(HttpMethod.Post, "api/v1/domain-bans", Json(new DomainBanRequest { Pattern = pattern }), cancellationToken);

    /// <summary>Lifts a ban; returns it as it was.</summary>
    public Task<DomainBanInfo> UnbanDomainAsync(string pattern, CancellationToken cancellationToken = default) =>
        SendAsync<DomainBanInfo>(HttpMethod.Delete, $"api/v1/domain-bans/{Escape(pattern)}", content: null, cancellationToken);
}
