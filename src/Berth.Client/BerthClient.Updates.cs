using Berth.Contracts;

namespace Berth.Client;

/// <summary>Unattended updates: run one now, the status of one or all containers, the last run's log.</summary>
public sealed partial class BerthClient
{
    // apt-get update inside the container comes first when pending upgrades are asked for.
    private static readonly TimeSpan PendingTime = TimeSpan.FromMinutes(6);

    public Task<JobInfo> RunUpdateAsync(string container, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/containers/{Escape(container)}/updates", Json(new UpdateRunRequest()), cancellationToken);

    public Task<UpdateStatusInfo> GetUpdateStatusAsync(string container, bool pending = false, CancellationToken cancellationToken = default) =>
        GetAsync<UpdateStatusInfo>($"api/v1/containers/{Escape(container)}/updates{(pending ? "?pending=true" : "")}", cancellationToken, pending ? PendingTime : null);

    public async Task<IReadOnlyList<UpdateStatusInfo>> ListUpdateStatusAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<UpdateStatusInfo[]>("api/v1/updates", cancellationToken).ConfigureAwait(false);

    public Task<UpdateLogInfo> GetUpdateLogAsync(string container, CancellationToken cancellationToken = default) =>
        GetAsync<UpdateLogInfo>($"api/v1/containers/{Escape(container)}/updates/log", cancellationToken);
}
