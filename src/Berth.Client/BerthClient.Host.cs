using Berth.Contracts;

namespace Berth.Client;

/// <summary>Host network calls (admins).</summary>
public sealed partial class BerthClient
{
    /// <summary>The bridges the host network file declared and Berth applied.</summary>
    public Task<HostNetworkInfo> GetHostNetworkAsync(CancellationToken cancellationToken = default) =>
        GetAsync<HostNetworkInfo>("api/v1/host/network", cancellationToken);

    /// <summary>Plans and (unless a dry run) applies a host network file; the answer lists the changes, empty when there were none.</summary>
    public Task<HostPlanInfo> ApplyHostNetworkAsync(HostApplyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<HostPlanInfo>(HttpMethod.Post, "api/v1/host/network/apply", Json(request), cancellationToken);
    }
}
