using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Proxy;

/// <summary>A proxy environment whose berthd gets its certificates from a pebble of its own (HTTP-01 on the proxy's port, DNS-01 through its hook).</summary>
public class AcmeBerthEnvironment : ProxyBerthEnvironment, IAsyncLifetime
{
    public AcmeBerthEnvironment()
        : this(null)
    {
    }

    protected AcmeBerthEnvironment(int? validitySeconds) => Pebble = new Pebble(HttpPort, validitySeconds);

    public Pebble Pebble { get; }

    protected override string[] DaemonArguments =>
    [
        .. base.DaemonArguments,
        "--acme-directory", Pebble.DirectoryUrl,
        "--acme-email", "admin@berth.test",
        "--acme-ca-certificates", Pebble.ServerCertificate,
        "--acme-dns-hook", Pebble.DnsHook,
        "--acme-dns-resolver", Pebble.DnsResolver,
        "--Berth:Proxy:AcmeCheckInterval", "00:00:01",
        "--Berth:Proxy:AcmeRetryBase", "00:00:02",
        "--Berth:Proxy:AcmeRetryMax", "00:00:04",
    ];

    public new async Task InitializeAsync()
    {
        await Pebble.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await Pebble.DisposeAsync();
        }
    }

    /// <summary>The newest ACME order job of a certificate, waited for (the one a route's --tls auto or the renewal check started).</summary>
    public async Task<JobInfo> OrderAsync(string certificate, DateTimeOffset after)
    {
        for (var i = 0; i < 300; i++)
        {
            var order = (await Client.ListJobsAsync(100)).Where(j => j.Kind == "cert.issue" && j.Target == $"cert:{certificate}" && j.CreatedAt >= after)
                .OrderByDescending(j => j.CreatedAt).FirstOrDefault();
            if (order is not null)
            {
                return await Client.WaitForJobAsync(order);
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"no cert.issue job for {certificate}\n--- berthd log ---\n{Daemon.Log}\n--- pebble ---\n{Pebble.Log}");
    }

    /// <summary>GET https://HOST/ through the proxy's HTTPS port with SNI HOST: the status, body and the certificate it was served with (checked against pebble's root).</summary>
    public async Task<(HttpStatusCode Status, string Body, X509Certificate2 Served)> GetHttpsAsync(string host, X509Certificate2 root, string path = "/")
    {
        X509Certificate2? served = null;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, HttpsPort, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    served = new X509Certificate2(certificate!);
                    using var check = new X509Chain();
                    check.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    check.ChainPolicy.CustomTrustStore.Add(root);
                    check.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    foreach (var element in chain?.ChainElements.Select(e => e.Certificate) ?? [])
                    {
                        check.ChainPolicy.ExtraStore.Add(element);
                    }

                    return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && check.Build(served);
                },
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri($"https://{host}:{HttpsPort.ToString(CultureInfo.InvariantCulture)}{path}"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), served!);
    }
}
