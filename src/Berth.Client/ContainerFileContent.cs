using Berth.Contracts;

namespace Berth.Client;

/// <summary>A file being read from a container: what it is, and its bytes as they arrive. Dispose to end the download.</summary>
public sealed class ContainerFileContent(FileEntryInfo entry, Stream content, HttpResponseMessage response) : IDisposable, IAsyncDisposable
{
    public FileEntryInfo Entry { get; } = entry;

    /// <summary>The file's bytes (empty for links and other non-files; a directory's JSON listing for a directory).</summary>
    public Stream Content { get; } = content;

    public void Dispose()
    {
        Content.Dispose();
        response.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
    }
}
