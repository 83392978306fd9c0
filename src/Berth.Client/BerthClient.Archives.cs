using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Berth.Contracts;

namespace Berth.Client;

/// <summary>Container archives sent and received through the API itself, for callers who may not (or cannot) name a path on the daemon's host.</summary>
public sealed partial class BerthClient
{
    /// <summary>Whether this client talks to berthd over its Unix socket, where host paths name files the caller can reach.</summary>
    public bool IsLocalSocket => endpoint.StateDirectory is not null;

    /// <summary>Exports <paramref name="container"/> and copies the archive into <paramref name="destination"/> as it arrives.</summary>
    public async Task ExportToStreamAsync(string container, Stream destination, bool snapshots = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/containers/{Escape(container)}/export{(snapshots ? "?snapshots=true" : "")}");
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await body.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Imports the archive read from <paramref name="archive"/> (sent as the body); <paramref name="options"/>' file is not used.</summary>
    public async Task<JobInfo> ImportFromStreamAsync(Stream archive, ImportRequest options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(options);
        var query = new StringBuilder("api/v1/containers/import?");
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                query.Append(CultureInfo.InvariantCulture, $"{key}={Uri.EscapeDataString(value)}&");
            }
        }

        Add("name", options.Name);
        Add("storage", options.Storage);
        Add("keepIdentity", options.KeepIdentity ? "true" : null);
        Add("privileged", options.Privileged ? "true" : null);
        foreach (var network in options.Networks ?? (options.Network is null ? [] : [new NetworkAttachment { Name = options.Network, Ip = options.Ip }]))
        {
            Add("network", network.Name);
        }

        // Paired by position, so a network without an address still takes its place.
        var ips = options.Networks is { } several ? several.Select(n => n.Ip).ToList() : [options.Ip];
        foreach (var ip in ips.Any(i => i is not null) ? ips : [])
        {
            Add("ip", ip ?? "");
        }

        using var content = new StreamContent(archive, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zstd");
        using var request = new HttpRequestMessage(HttpMethod.Post, query.ToString().TrimEnd('&', '?')) { Content = content };
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync(response.Content, WireJson.TypeInfo<JobInfo>(), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("berthd sent an empty answer to the import");
    }
}
