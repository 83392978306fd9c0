using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.Contracts;
using Berth.Daemon.Api;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Hosting;

/// <summary>
/// One TCP listener (--http or --https) in a Kestrel server of its own, serving the same application as the Unix
/// socket: when its port is taken or its certificate unusable it logs why and tries again, and the socket goes on serving.
/// </summary>
public sealed partial class NetworkListener : IAsyncDisposable
{
    private readonly IPEndPoint endpoint;
    private readonly Func<X509Certificate2>? certificate;
    private readonly IServiceProvider services;
    private readonly TimeSpan retryInterval;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private KestrelServer? server;
    private X509Certificate2? served;
    private Task running = Task.CompletedTask;

    /// <param name="certificate">Loads the certificate for HTTPS at each attempt (so a fixed file is picked up), or null for plain HTTP.</param>
    public NetworkListener(IPEndPoint endpoint, Func<X509Certificate2>? certificate, IServiceProvider services, TimeSpan retryInterval)
    {
        ArgumentNullException.ThrowIfNull(services);
        this.endpoint = endpoint;
        this.certificate = certificate;
        this.services = services;
        this.retryInterval = retryInterval;
        time = services.GetRequiredService<TimeProvider>();
        logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<NetworkListener>();
    }

    private string Scheme => certificate is null ? "http" : "https";

    /// <summary>Starts trying in the background; returns at once.</summary>
    public void Start<TContext>(IHttpApplication<TContext> application)
        where TContext : notnull
    {
        running = Task.Run(() => RunAsync(application, stopping.Token));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException || stopping.IsCancellationRequested)
        {
            // Stopped while waiting to retry, or in the middle of an attempt.
        }

        if (server is not null)
        {
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        server?.Dispose();
        served?.Dispose();
        stopping.Dispose();
    }

    private async Task RunAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        string? lastFailure = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            KestrelServer? attempt = null;
            X509Certificate2? loaded = null;
            try
            {
                loaded = certificate?.Invoke();
                attempt = Create(loaded);
                await attempt.StartAsync(application, cancellationToken).ConfigureAwait(false);
                (server, served) = (attempt, loaded);
                if (loaded is null)
                {
                    LogListening(logger, Scheme, endpoint);
                }
                else
                {
                    LogListeningTls(logger, Scheme, endpoint, CertificateFingerprint.Of(loaded));
                }

                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                attempt?.Dispose();
                loaded?.Dispose();
                var reason = (e is InvalidDataException ? e.Message : $"{e.GetType().Name}: {e.Message}").TrimEnd('.');
                if (reason != lastFailure)
                {
                    // Once per distinct reason: a port taken for hours must not fill the log.
                    LogCannotListen(logger, Scheme, endpoint, reason, retryInterval);
                    lastFailure = reason;
                }
            }

            await Task.Delay(retryInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private KestrelServer Create(X509Certificate2? tls)
    {
        var options = new KestrelServerOptions { ApplicationServices = services, AddServerHeader = false };
        options.Listen(endpoint, listen =>
        {
            if (tls is not null)
            {
                IReadOnlySet<string> names = tls.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToHashSet(StringComparer.OrdinalIgnoreCase);
                listen.Use(next => connection =>
                {
                    connection.Items[Access.BrowserOrigin.CertificateNamesItem] = names;
                    return next(connection);
                });
                listen.UseHttps(tls);
            }

            // After TLS, so it sees the plain HTTP Kestrel writes.
            listen.UseRejectedRequestBodies();
        });
        return new KestrelServer(Options.Create(options), services.GetRequiredService<IConnectionListenerFactory>(), services.GetRequiredService<ILoggerFactory>());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving the API and the panel on {Scheme}://{Endpoint}")]
    private static partial void LogListening(ILogger logger, string scheme, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving the API and the panel on {Scheme}://{Endpoint}; certificate SHA-256 fingerprint {Fingerprint}")]
    private static partial void LogListeningTls(ILogger logger, string scheme, IPEndPoint endpoint, string fingerprint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot listen on {Scheme}://{Endpoint}: {Reason}; the Unix socket still serves, trying again every {RetryInterval}")]
    private static partial void LogCannotListen(ILogger logger, string scheme, IPEndPoint endpoint, string reason, TimeSpan retryInterval);
}
