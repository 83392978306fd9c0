using Berth.Contracts;

namespace Berth.Client;

/// <summary>Users' quotas: limits and usage.</summary>
public sealed partial class BerthClient
{
    public Task<QuotaInfo> GetQuotaAsync(string user, CancellationToken cancellationToken = default) =>
        GetAsync<QuotaInfo>($"api/v1/users/{Escape(user)}/quota", cancellationToken);

    public Task<QuotaInfo> UpdateQuotaAsync(string user, QuotaUpdateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<QuotaInfo>(HttpMethod.Patch, $"api/v1/users/{Escape(user)}/quota", Json(request), cancellationToken);
}
