using Berth.Daemon.Api;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>
/// Puts the store's routes into the running nginx: renders the whole configuration into the staging directory, has
/// <c>nginx -t</c> check it, swaps it in with one rename and reloads, only when the text changed. A configuration
/// nginx refuses never replaces the live one. nginx runs while there is a route, and is stopped after the last goes.
/// </summary>
public sealed partial class ReverseProxy(
    RouteStore routes,
    CertificateStore certificates,
    NginxConfigRenderer renderer,
    NginxProcess nginx,
    ProxyPaths paths,
    Hosting.ProxySecret secret,
    IOptions<ProxyOptions> options,
    ILogger<ReverseProxy> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The last text nginx -t accepted (a route add's check renders what its job then applies): the same text, with the
    // same files, is not tested twice.
    private string? _accepted;

    public bool Enabled => options.Value.HttpEndpoint is not null;

    /// <summary>Brings nginx to the store's routes: starts it, reloads it or leaves it be; throws with nginx's reason when it refuses.</summary>
    public Task ApplyAsync(CancellationToken cancellationToken) => ApplyAsync(filesChanged: false, cancellationToken);

    /// <summary>
    /// As <see cref="ApplyAsync(CancellationToken)"/>; <paramref name="filesChanged"/> (a renewed certificate under the same
    /// file names) has nginx check and reload even when the configuration text is the same.
    /// </summary>
    public async Task ApplyAsync(bool filesChanged, CancellationToken cancellationToken)
    {
        if (options.Value.HttpEndpoint is not { } http)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var resolved = await routes.ListResolvedAsync(cancellationToken).ConfigureAwait(false);
            if (resolved.Count == 0)
            {
                if (nginx.RunningPid() is not null)
                {
                    LogStopping(logger);
                    await nginx.StopAsync(cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            paths.Ensure();
            var text = renderer.Render(resolved, http, options.Value.HttpsEndpoint, await certificates.ListAsync(cancellationToken).ConfigureAwait(false), secret.Value);
            var running = nginx.RunningPid();
            var live = File.Exists(paths.LiveConfig) ? await File.ReadAllTextAsync(paths.LiveConfig, cancellationToken).ConfigureAwait(false) : null;
            if (running is not null && live == text && !filesChanged)
            {
                return;
            }

            var staged = await StageAsync(text, tested: !filesChanged && text == Volatile.Read(ref _accepted), cancellationToken).ConfigureAwait(false);
            if (live is not null && live != text)
            {
                File.Copy(paths.LiveConfig, paths.PreviousConfig, overwrite: true);
            }

            File.Move(staged, paths.LiveConfig, overwrite: true);
            if (running is { } pid)
            {
                try
                {
                    await nginx.ReloadAsync(pid, cancellationToken).ConfigureAwait(false);
                }
                catch (DomainError) when (live is not null)
                {
                    // nginx runs on with the old configuration; the file says so too, so the next pass tries again.
                    File.Copy(paths.PreviousConfig, paths.LiveConfig, overwrite: true);
                    throw;
                }

                LogReloaded(logger, resolved.Count);
                return;
            }

            try
            {
                await nginx.StartAsync(cancellationToken).ConfigureAwait(false);
                LogStarted(logger, paths.Prefix);
            }
            catch (DomainError) when (live is not null && live != text)
            {
                // Keep the last configuration that ran, so the next start (or a fixed store) begins from it.
                File.Copy(paths.PreviousConfig, paths.LiveConfig, overwrite: true);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Refuses (with nginx's reason) when the store's routes plus <paramref name="candidate"/> would not be a configuration nginx accepts.</summary>
    public async Task CheckAsync(ProxyRoute candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var http = options.Value.HttpEndpoint ?? throw ProxyOff();
        var current = await routes.ListResolvedAsync(cancellationToken).ConfigureAwait(false);
        var text = renderer.Render(
            [.. current.Where(r => r.Domain != candidate.Domain || r.Path != candidate.Path), candidate],
            http,
            options.Value.HttpsEndpoint,
            await certificates.ListAsync(cancellationToken).ConfigureAwait(false),
            secret.Value);
        paths.Ensure();
        var file = Path.Combine(paths.Staging, $"check-{Guid.NewGuid():N}.conf");
        await WritePrivateAsync(file, text, cancellationToken).ConfigureAwait(false);
        try
        {
            if (await nginx.TestAsync(file, cancellationToken).ConfigureAwait(false) is { } reason)
            {
                throw DomainError.Invalid("nginx refused the route", $"nginx: {reason}");
            }

            Volatile.Write(ref _accepted, text);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static DomainError ProxyOff() =>
        DomainError.Conflict("The proxy is off", "berthd was started with --proxy-http off; start it with --proxy-http ADDRESS:PORT to route domains.");

    /// <summary>Writes the staging file; has nginx check it unless <paramref name="tested"/> (this very text passed a moment ago).</summary>
    private async Task<string> StageAsync(string text, bool tested, CancellationToken cancellationToken)
    {
        var staged = Path.Combine(paths.Staging, "nginx.conf");
        await WritePrivateAsync(staged, text, cancellationToken).ConfigureAwait(false);
        if (!tested && await nginx.TestAsync(staged, cancellationToken).ConfigureAwait(false) is { } reason)
        {
            throw DomainError.Invalid("nginx refused the configuration", $"nginx: {reason}");
        }

        Volatile.Write(ref _accepted, text);
        return staged;
    }

    /// <summary>Written root-only from the start: the configuration holds the panel route's secret.</summary>
    private static async Task WritePrivateAsync(string file, string text, CancellationToken cancellationToken)
    {
        File.Delete(file);
        var stream = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "nginx started with its configuration in {Prefix}")]
    private static partial void LogStarted(ILogger logger, string prefix);

    [LoggerMessage(Level = LogLevel.Information, Message = "nginx reloaded with {Routes} routes")]
    private static partial void LogReloaded(ILogger logger, int routes);

    [LoggerMessage(Level = LogLevel.Information, Message = "No routes left; stopping nginx")]
    private static partial void LogStopping(ILogger logger);
}
