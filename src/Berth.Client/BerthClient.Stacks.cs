using System.Globalization;
using System.Net.Http.Headers;
using Berth.Contracts;

namespace Berth.Client;

/// <summary>Stack calls: the stack files and inputs travel as one tar (see docs/stacks.md).</summary>
public sealed partial class BerthClient
{
    /// <summary>Asks which inputs and variables a tar of stack files (stack/FILE entries) needs.</summary>
    public Task<StackInspectInfo> InspectStackAsync(byte[] tar, CancellationToken cancellationToken = default) =>
        SendAsync<StackInspectInfo>(HttpMethod.Post, "api/v1/stacks/inspect", Tar(tar), cancellationToken);

    /// <summary>Plans, and unless <paramref name="dryRun"/> applies, the stack in <paramref name="tar"/>; the answer's job (if any) applies it.</summary>
    public Task<StackPlanInfo> UpStackAsync(string name, byte[] tar, bool dryRun = false, IReadOnlyList<string>? profiles = null, CancellationToken cancellationToken = default)
    {
        var query = $"?dryRun={(dryRun ? "true" : "false")}" + (profiles is { Count: > 0 } ? $"&profiles={Uri.EscapeDataString(string.Join(',', profiles))}" : "");
        return SendAsync<StackPlanInfo>(HttpMethod.Post, $"api/v1/stacks/{Escape(name)}/up{query}", Tar(tar), cancellationToken, TimeSpan.FromMinutes(5));
    }

    public async Task<IReadOnlyList<StackInfo>> ListStacksAsync(CancellationToken cancellationToken = default) =>
        await GetAsync<StackInfo[]>("api/v1/stacks", cancellationToken).ConfigureAwait(false);

    public Task<StackInfo> GetStackAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync<StackInfo>($"api/v1/stacks/{Escape(name)}", cancellationToken);

    public Task<JobInfo> DownStackAsync(string name, bool keepData = false, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Delete, $"api/v1/stacks/{Escape(name)}{(keepData ? "?keepData=true" : "")}", content: null, cancellationToken);

    /// <summary>Restarts one container of the stack (null: all) and its dependents, in dependency order.</summary>
    public Task<JobInfo> RestartStackAsync(string name, string? container = null, CancellationToken cancellationToken = default) =>
        SendAsync<JobInfo>(HttpMethod.Post, $"api/v1/stacks/{Escape(name)}/restart{(container is null ? "" : $"?container={Uri.EscapeDataString(container)}")}", content: null, cancellationToken);

    public Task<StackLogChunk> GetStackLogsAsync(string name, string container, long offset = 0, CancellationToken cancellationToken = default) =>
        GetAsync<StackLogChunk>($"api/v1/stacks/{Escape(name)}/logs/{Escape(container)}?offset={offset.ToString(CultureInfo.InvariantCulture)}", cancellationToken);

    private static ByteArrayContent Tar(byte[] tar)
    {
        ArgumentNullException.ThrowIfNull(tar);
        var content = new ByteArrayContent(tar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        return content;
    }
}
