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

    public async Task<IReadOnlyList<ForwardInfo>> ListForwardsAsync(string container, CancellationToken cancellationToken = default) =>
        await GetAsync<ForwardInfo[]>($"api/v1/containers/{Escape(container)}/forwards", cancellationToken).ConfigureAwait(false);

    public Task<JobInfo> AddForwardAsync(string container, ForwardRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/containers/{Escape(container)}/forwards", Json(request), cancellationToken);
    }

    public Task<JobInfo> RemoveForwardAsync(string container, string protocol, int hostPort, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/containers/{Escape(container)}/forwards/{Escape(protocol)}/{FormatInvariant(hostPort)}", content: null, cancellationToken);

    /// <summary>Allocates the container's SSH port (or returns the one it has); Job is set when the firewall still has to be applied.</summary>
    public async Task<(SshInfo Ssh, JobInfo? Job)> EnableSshAsync(string container, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync<SshEnableResult>(HttpMethod.Post, $"api/v1/containers/{Escape(container)}/ssh", content: null, cancellationToken).ConfigureAwait(false);
        return (result.Ssh, result.Job);
    }

    /// <summary>Removes the container's SSH port forward.</summary>
    public Task<JobInfo> DisableSshAsync(string container, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/containers/{Escape(container)}/ssh", content: null, cancellationToken);

    public async Task<IReadOnlyList<SshKeyInfo>> ListSshKeysAsync(string container, CancellationToken cancellationToken = default) =>
        await GetAsync<SshKeyInfo[]>($"api/v1/containers/{Escape(container)}/ssh-keys", cancellationToken).ConfigureAwait(false);

    public Task<JobInfo> AddSshKeyAsync(string container, string key, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/containers/{Escape(container)}/ssh-keys", Json(new SshKeyRequest { Key = key }), cancellationToken);

    /// <summary>Removes the keys with this fingerprint (SHA256:...) or comment.</summary>
    public Task<JobInfo> RemoveSshKeyAsync(string container, string fingerprintOrComment, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/containers/{Escape(container)}/ssh-keys/{Escape(fingerprintOrComment)}", content: null, cancellationToken);
}
