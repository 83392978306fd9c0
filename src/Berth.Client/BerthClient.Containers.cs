using System.Globalization;
using Berth.Contracts;

namespace Berth.Client;

/// <summary>Server, container and image calls.</summary>
public sealed partial class BerthClient
{
    public Task<ServerInfo> GetServerInfoAsync(CancellationToken cancellationToken = default) =>
        GetAsync<ServerInfo>("api/v1", cancellationToken);

    public async Task<IReadOnlyList<ContainerInfo>> ListContainersAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<ContainerInfo[]>("api/v1/containers", cancellationToken).ConfigureAwait(false);

    public Task<ContainerInfo> GetContainerAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<ContainerInfo>($"api/v1/containers/{Escape(name)}", cancellationToken);

    public Task<JobInfo> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/containers", Json(request), cancellationToken);
    }

    public Task<JobInfo> DeleteAsync(string name, bool force = false, CancellationToken cancellationToken = default)
    {
        string query = force ? "?force=true" : "";
        return SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/containers/{Escape(name)}{query}", content: null, cancellationToken);
    }

    public Task<JobInfo> ChangeStateAsync(string name, StateChangeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Put, $"api/v1/containers/{Escape(name)}/state", Json(request), cancellationToken);
    }

    public Task<ContainerConfigInfo> GetConfigAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<ContainerConfigInfo>($"api/v1/containers/{Escape(name)}/config", cancellationToken);

    public Task<JobInfo> UpdateConfigAsync(string name, ConfigUpdateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Patch, $"api/v1/containers/{Escape(name)}/config", Json(request), cancellationToken);
    }

    /// <summary>Renames a stopped container.</summary>
    public Task<JobInfo> RenameAsync(string name, string newName, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/containers/{Escape(name)}/rename", Json(new RenameRequest { Name = newName }), cancellationToken);

    public async Task<IReadOnlyList<ImageInfo>> ListImagesAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<ImageInfo[]>("api/v1/images", cancellationToken).ConfigureAwait(false);

    public Task<JobInfo> BuildImageAsync(string alias, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        return BuildImageAsync(new ImageBuildRequest { Alias = alias }, cancellationToken);
    }

    /// <summary>Builds an image; with packages and an alias of its own, defines a new image first.</summary>
    public Task<JobInfo> BuildImageAsync(ImageBuildRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/images", Json(request), cancellationToken);
    }

    /// <summary>Makes an image of a stopped container, or of one of its snapshots.</summary>
    public Task<JobInfo> PublishImageAsync(ImagePublishRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/images/publish", Json(request), cancellationToken);
    }

    /// <summary>Writes an image to an archive on the daemon's host, and its sha256 to FILE.sha256.</summary>
    public Task<JobInfo> ExportImageAsync(ImageExportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/images/export", Json(request), cancellationToken);
    }

    /// <summary>Adds an image from an archive on the daemon's host, checking its sha256 first.</summary>
    public Task<JobInfo> ImportImageAsync(ImageImportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync<JobInfo>(HttpMethod.Post, "api/v1/images/import", Json(request), cancellationToken);
    }

    // Aliases contain '/' (debian/12): each segment is escaped, the slashes are kept for the catch-all route.
    public Task<ImageInfo> GetImageAsync(string alias, CancellationToken cancellationToken = default) =>
        GetAsync<ImageInfo>($"api/v1/images/{EscapeAlias(alias)}", cancellationToken);

    public Task<JobInfo> DeleteImageAsync(string alias, bool force = false, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/images/{EscapeAlias(alias)}{(force ? "?force=true" : "")}", content: null, cancellationToken);

    private static string EscapeAlias(string alias) => string.Join('/', alias.Split('/').Select(Uri.EscapeDataString));

    /// <summary>Stops the autostart containers in reverse order (a <c>host.shutdown</c> job).</summary>
    public Task<JobInfo> ShutdownAsync(CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Post, "api/v1/admin/shutdown", content: null, cancellationToken);

    private static string FormatInvariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
