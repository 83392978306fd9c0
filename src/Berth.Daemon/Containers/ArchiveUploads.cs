using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Errors;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;

namespace Berth.Daemon.Containers;

/// <summary>
/// POST /api/v1/containers/import takes either JSON naming an archive on the daemon's host (admins only) or the
/// archive itself as the body, with the request's fields in the query: name, storage, network and ip (repeatable, in
/// order), keepIdentity, privileged. An upload is written to a private transfer file, checked like any archive, and
/// removed when its import job ends.
/// </summary>
public sealed class ArchiveUploads(ArchiveTransfers transfers)
{
    public async Task<JobRecord> ImportAsync(HttpRequest http, Caller caller, ContainerCopyService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(service);
        if (http.HasJsonContentType())
        {
            if (!caller.IsAdmin)
            {
                throw DomainError.Forbidden("Host paths are for admins", "a member imports by sending the archive itself as the request body (Content-Type: application/zstd, the fields in the query); file names a path on the daemon's host, which only admins may give.");
            }

            var request = await ReadJsonAsync(http, cancellationToken).ConfigureAwait(false);
            return await service.ImportAsync(caller, request, upload: false, cancellationToken).ConfigureAwait(false);
        }

        var options = FromQuery(http.Query);
        // A container archive is as large as the container; Kestrel's default limit is for JSON bodies.
        if (http.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var file = transfers.NewFile("upload.tar.zst");
        try
        {
            await using (var target = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, Options = FileOptions.Asynchronous }))
            {
                await http.Body.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }

            if (new FileInfo(file).Length == 0)
            {
                throw DomainError.Invalid("No archive", "the request body is empty; send the archive written by GET /api/v1/containers/NAME/export as the body (Content-Type: application/zstd).");
            }

            // From here the job owns the file and removes it when it ends.
            return await service.ImportAsync(caller, options with { File = file }, upload: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            transfers.Remove(file);
            throw;
        }
    }

    private static async Task<ImportRequest> ReadJsonAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<ImportRequest>(http.Body, BerthJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw DomainError.Invalid("Invalid request body", "the body is JSON null; send an ImportRequest object (file, name, ...).");
        }
        catch (JsonException ex)
        {
            throw DomainError.Invalid("Invalid request body", $"the body is not an ImportRequest ({ex.Message}).");
        }
    }

    /// <summary>The request's fields from the query; network and ip repeat for several interfaces, the Nth ip being the Nth network's.</summary>
    internal static ImportRequest FromQuery(IQueryCollection query)
    {
        string? One(string key) => query[key] is { Count: > 0 } values ? values[values.Count - 1] : null;
        bool Flag(string key) => One(key) is { } value && (bool.TryParse(value, out var flag) ? flag : throw DomainError.Invalid($"Invalid {key}", $"{key} is true or false, not '{Hosting.ControlCharacters.Visible(value)}'."));
        var networks = query["network"].Where(n => n is not null).Select(n => n!).ToList();
        var ips = query["ip"].Select(i => string.IsNullOrEmpty(i) ? null : i).ToList();
        if (ips.Count > Math.Max(networks.Count, 1))
        {
            throw DomainError.Invalid("More ip than network", $"{ips.Count} ip for {networks.Count} network: give one network per ip, in the same order.");
        }

        return new ImportRequest
        {
            Name = One("name"),
            Storage = One("storage"),
            KeepIdentity = Flag("keepIdentity"),
            Privileged = Flag("privileged"),
            Network = networks.Count > 1 ? null : networks.FirstOrDefault(),
            Ip = networks.Count > 1 ? null : ips.FirstOrDefault(),
            Networks = networks.Count > 1 ? [.. networks.Select((n, i) => new NetworkAttachment { Name = n, Ip = i < ips.Count ? ips[i] : null })] : null,
        };
    }
}
