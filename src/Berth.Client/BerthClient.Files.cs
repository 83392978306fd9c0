using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Contracts;

namespace Berth.Client;

/// <summary>A container's files, streamed both ways (nothing is held whole).</summary>
public sealed partial class BerthClient
{
    /// <summary>What <paramref name="path"/> is in the container (a link itself, not followed).</summary>
    public async Task<FileEntryInfo> StatFileAsync(string container, string path, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, FilesPath(container, path));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return EntryOf(response, path);
        }

        // A HEAD answer has no body to explain a refusal: the GET does.
        using var again = await OpenFileAsync(container, path, cancellationToken).ConfigureAwait(false);
        return again.Entry;
    }

    /// <summary>Starts reading <paramref name="path"/>: its description at once, its bytes as a stream.</summary>
    public async Task<ContainerFileContent> OpenFileAsync(string container, string path, CancellationToken cancellationToken = default)
    {
        var response = await SendStreamingAsync(HttpMethod.Get, FilesPath(container, path), null, cancellationToken).ConfigureAwait(false);
        try
        {
            var entry = EntryOf(response, path);
            return new ContainerFileContent(entry, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The entries of the directory <paramref name="path"/>, or the one entry when it is not a directory.</summary>
    public async Task<IReadOnlyList<FileEntryInfo>> ListFilesAsync(string container, string path, CancellationToken cancellationToken = default)
    {
        await using var file = await OpenFileAsync(container, path, cancellationToken).ConfigureAwait(false);
        return file.Entry.Type == "directory"
            ? await JsonSerializerRead(file.Content, cancellationToken).ConfigureAwait(false)
            : [file.Entry];
    }

    /// <summary>The directory <paramref name="path"/> and everything under it as a tar stream (owners as the container sees them).</summary>
    public async Task<Stream> OpenTreeAsync(string container, string path, CancellationToken cancellationToken = default)
    {
        var response = await SendStreamingAsync(HttpMethod.Get, FilesPath(container, path) + "&recursive=true", null, cancellationToken).ConfigureAwait(false);
        if (response.Headers.TryGetValues(FileHeaders.Type, out var type) && type.FirstOrDefault() != "directory")
        {
            response.Dispose();
            throw new BerthApiException(409, "Not a directory", $"{path} in container '{container}' is a {type.FirstOrDefault()}, not a directory");
        }

        return new ResponseStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response);
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> in one step: the old file stays whole until the new one is complete.</summary>
    public async Task<FileEntryInfo> WriteFileAsync(string container, string path, Stream content, FileWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var query = FilesPath(container, path);
        if (options?.Mode is { } mode)
        {
            query += "&mode=" + Convert.ToString((int)mode, 8).PadLeft(4, '0');
        }

        query += options?.Uid is { } uid ? "&uid=" + uid.ToString(CultureInfo.InvariantCulture) : "";
        query += options?.Gid is { } gid ? "&gid=" + gid.ToString(CultureInfo.InvariantCulture) : "";
        query += options?.CreateDirectories == true ? "&mkdirs=true" : "";
        var body = new StreamContent(content, 1 << 20);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendStreamingAsync(HttpMethod.Put, query, body, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(WireJson.TypeInfo<FileEntryInfo>(), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("berthd sent an empty answer to a file write");
    }

    /// <summary>Extracts the tar stream <paramref name="archive"/> under the directory <paramref name="path"/>; returns how many entries it held.</summary>
    public async Task<int> ExtractTreeAsync(string container, string path, Stream archive, bool createDirectories = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var body = new StreamContent(archive, 1 << 20);
        body.Headers.ContentType = new MediaTypeHeaderValue(FileHeaders.TarMediaType);
        using var response = await SendStreamingAsync(HttpMethod.Post, FilesPath(container, path) + (createDirectories ? "&mkdirs=true" : ""), body, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues("X-Berth-Entries", out var values) && int.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <summary>As <see cref="ExtractTreeAsync(string, string, Stream, bool, CancellationToken)"/>, with the archive written by <paramref name="writeArchive"/> as it is sent.</summary>
    public async Task<int> ExtractTreeAsync(string container, string path, Func<Stream, CancellationToken, Task> writeArchive, bool createDirectories = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeArchive);
        var body = new Transport.WriterContent(writeArchive);
        body.Headers.ContentType = new MediaTypeHeaderValue(FileHeaders.TarMediaType);
        using var response = await SendStreamingAsync(HttpMethod.Post, FilesPath(container, path) + (createDirectories ? "&mkdirs=true" : ""), body, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValues("X-Berth-Entries", out var values) && int.TryParse(values.FirstOrDefault(), CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <summary>Deletes <paramref name="path"/> (a link itself); a directory only when empty, unless <paramref name="recursive"/>.</summary>
    public async Task DeleteFileAsync(string container, string path, bool recursive = false, CancellationToken cancellationToken = default)
    {
        using var response = await SendStreamingAsync(HttpMethod.Delete, FilesPath(container, path) + (recursive ? "&recursive=true" : ""), null, cancellationToken).ConfigureAwait(false);
    }

    private static string FilesPath(string container, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return $"api/v1/containers/{Escape(container)}/files?path={Uri.EscapeDataString(path)}";
    }

    // No overall timeout: a file takes as long as its size needs; the caller's token ends it.
    private async Task<HttpResponseMessage> SendStreamingAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        return await SendRawAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<FileEntryInfo>> JsonSerializerRead(Stream content, CancellationToken cancellationToken) =>
        await System.Text.Json.JsonSerializer.DeserializeAsync(content, WireJson.TypeInfo<FileEntryInfo[]>(), cancellationToken).ConfigureAwait(false) ?? [];

    private static FileEntryInfo EntryOf(HttpResponseMessage response, string path)
    {
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        long Number(string name) => long.TryParse(Header(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
        return new FileEntryInfo
        {
            Name = path.TrimEnd('/').Split('/')[^1],
            Type = Header(FileHeaders.Type) ?? "file",
            Mode = Header(FileHeaders.Mode) ?? "0000",
            Uid = Number(FileHeaders.Uid),
            Gid = Number(FileHeaders.Gid),
            Size = Number(FileHeaders.Size),
            ModifiedAt = DateTimeOffset.TryParse(Header(FileHeaders.ModifiedAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time : default,
            Link = Header(FileHeaders.Link) is { } link ? Uri.UnescapeDataString(link) : null,
        };
    }
}
