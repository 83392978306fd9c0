using Berth.Contracts;

namespace Berth.Client;

/// <summary>Network calls.</summary>
public sealed partial class BerthClient
{
    public async Task<IReadOnlyList<NetworkInfo>> ListNetworksAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<NetworkInfo[]>("api/v1/networks", cancellationToken).ConfigureAwait(false);

    public Task<NetworkInfo> GetNetworkAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<NetworkInfo>($"api/v1/networks/{Escape(name)}", cancellationToken);

    public Task<JobInfo> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/networks", Json(request), cancellationToken);
    }

    public Task<JobInfo> DeleteNetworkAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/networks/{Escape(name)}", content: null, cancellationToken);
}
