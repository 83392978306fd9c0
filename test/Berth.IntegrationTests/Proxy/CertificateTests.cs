using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Proxy;

/// <summary>Certificates from files: checked when added, served by nginx over TLS for the routes they cover.</summary>
public sealed class CertificateTests(ProxyBerthEnvironment env) : IClassFixture<ProxyBerthEnvironment>
{
    private static readonly X509Certificate2 Ca = MakeCa();

    private static X509Certificate2 MakeCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Berth test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(60));
    }

    /// <summary>A leaf signed by the test CA for <paramref name="names"/>, as PEM certificate and PEM key.</summary>
    private static (string Certificate, string Key) Leaf(DateTimeOffset notBefore, DateTimeOffset notAfter, params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = request.Create(Ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        return (leaf.ExportCertificatePem() + "\n" + Ca.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private async Task<(HttpStatusCode Status, string Body, string? Subject)> GetHttpsAsync(string host)
    {
        string? subject = null;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, env.HttpsPort, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    subject = (certificate as X509Certificate2)?.GetNameInfo(X509NameType.DnsName, false);
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(Ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && certificate is X509Certificate2 c && chain.Build(c);
                },
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri($"https://{host}:{env.HttpsPort.ToString(CultureInfo.InvariantCulture)}/"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), subject);
    }

    [Fact]
    public async Task Certificate_Wildcard_ServesMatchingRoutesOverTls()
    {
        var web = await env.LaunchWebServerAsync("tls", "page-of-tls");
        var zone = $"{env.Prefix}.test";
        var domain = $"app.{zone}";
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));

        var (certificate, key) = Leaf(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(20), $"*.{zone}");
        var dir = Path.Combine(env.StateDir, "pem");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "c.pem"), certificate);
        await File.WriteAllTextAsync(Path.Combine(dir, "k.pem"), key);
        var added = await CliRunner.RunAsync(env.StateDir, "cert", "add", "wild", "--cert", Path.Combine(dir, "c.pem"), "--key", Path.Combine(dir, "k.pem"));
        Assert.True(added.ExitCode == 0, added.Stderr + env.Daemon.Log);

        var (status, body, subject) = await GetHttpsAsync(domain);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("page-of-tls", body.Trim());
        Assert.Equal($"*.{zone}", subject);
        Assert.Equal("page-of-tls", (await env.GetAsync(domain)).Body.Trim()); // HTTP still serves

        var info = await env.Client.GetCertificateAsync("wild");
        Assert.Equal([$"*.{zone}"], info.Domains);
        Assert.Equal([domain], info.ServedFor);
        Assert.InRange(info.DaysLeft, 19, 20);
        var list = await CliRunner.RunAsync(env.StateDir, "cert", "list");
        Assert.Contains(info.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), list.Stdout, StringComparison.Ordinal);

        // The key never leaves the daemon's own directory, and only root reads it.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(env.ProxyDir, "certs", "wild.key")));

        await env.SucceedAsync(env.Client.RemoveCertificateAsync("wild"));
        Assert.False(File.Exists(Path.Combine(env.ProxyDir, "certs", "wild.key")));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => GetHttpsAsync(domain));
        Assert.Equal("page-of-tls", (await env.GetAsync(domain)).Body.Trim());
        await env.SucceedAsync(env.Client.RemoveRouteAsync(domain));
    }

    [Fact]
    public async Task Certificate_BadOnes_RefusedAndNothingChanged()
    {
        var zone = $"{env.Prefix}.test";
        var now = DateTimeOffset.UtcNow;
        var good = Leaf(now.AddHours(-1), now.AddDays(20), $"b.{zone}");
        var other = Leaf(now.AddHours(-1), now.AddDays(20), $"b.{zone}");

        async Task RefusedAsync(string expected, CertificateAddRequest request)
        {
            var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddCertificateAsync(request));
            Assert.Equal(400, refused.Status);
            Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        }

        await RefusedAsync("could not be read as a pair", new CertificateAddRequest { Name = "mismatch", Certificate = good.Certificate, Key = other.Key });
        var expired = Leaf(now.AddDays(-30), now.AddDays(-1), $"b.{zone}");
        await RefusedAsync("expired", new CertificateAddRequest { Name = "old", Certificate = expired.Certificate, Key = expired.Key });
        var future = Leaf(now.AddDays(1), now.AddDays(30), $"b.{zone}");
        await RefusedAsync("is valid from", new CertificateAddRequest { Name = "future", Certificate = future.Certificate, Key = future.Key });
        await RefusedAsync("not a certificate name", new CertificateAddRequest { Name = "../x", Certificate = good.Certificate, Key = good.Key });
        await RefusedAsync("PEM", new CertificateAddRequest { Name = "junk", Certificate = "junk", Key = "junk" });

        var cli = await CliRunner.RunAsync(env.StateDir, "cert", "add", "nofile", "--cert", "/nonexistent.pem", "--key", "/nonexistent.key");
        Assert.NotEqual(0, cli.ExitCode);

        Assert.Empty(await env.Client.ListCertificatesAsync());
        Assert.Empty(Directory.Exists(Path.Combine(env.ProxyDir, "certs")) ? Directory.GetFiles(Path.Combine(env.ProxyDir, "certs")) : []);
    }

    [Fact]
    public async Task Route_TlsNamesOrTurnsOffTheCertificate_AndRedirectsToHttps()
    {
        var web = await env.LaunchWebServerAsync("pick", "page-of-pick");
        var zone = $"n{env.Prefix}.test";
        var now = DateTimeOffset.UtcNow;
        var wide = Leaf(now.AddHours(-1), now.AddDays(20), $"*.{zone}");
        var exact = Leaf(now.AddDays(-20), now.AddDays(5), $"a.{zone}", $"b.{zone}");
        await env.SucceedAsync(env.Client.AddCertificateAsync(new CertificateAddRequest { Name = "pick-wide", Certificate = wide.Certificate, Key = wide.Key }));
        await env.SucceedAsync(env.Client.AddCertificateAsync(new CertificateAddRequest { Name = "pick-exact", Certificate = exact.Certificate, Key = exact.Key }));
        try
        {
            // --tls NAME beats the exact match; --tls off serves no HTTPS although two certificates cover the name.
            await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = $"a.{zone}", Tls = "pick-wide" }));
            await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = $"b.{zone}", Tls = "off" }));
            await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = $"c.{zone}", RedirectHttps = true }));
            Assert.Equal($"*.{zone}", (await GetHttpsAsync($"a.{zone}")).Subject);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => GetHttpsAsync($"b.{zone}"));
            Assert.Equal("page-of-pick", (await env.GetAsync($"b.{zone}")).Body.Trim());
            Assert.Equal("page-of-pick", (await GetHttpsAsync($"c.{zone}")).Body.Trim());

            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{env.HttpPort.ToString(CultureInfo.InvariantCulture)}/x?y=1");
            request.Headers.Host = $"c.{zone}";
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
            Assert.Equal($"https://c.{zone}:{env.HttpsPort.ToString(CultureInfo.InvariantCulture)}/x?y=1", response.Headers.Location?.ToString());

            var routes = await env.Client.ListRoutesAsync(web);
            Assert.Equal(["pick-wide", null, "pick-wide"], routes.OrderBy(r => r.Domain, StringComparer.Ordinal).Select(r => r.Certificate));

            // A certificate past two thirds of its life is flagged in the list.
            var list = await CliRunner.RunAsync(env.StateDir, "cert", "list");
            Assert.Contains("warning: pick-exact: less than a third of its lifetime left", list.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("pick-wide:", list.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var route in await env.Client.ListRoutesAsync(web))
            {
                await env.SucceedAsync(env.Client.RemoveRouteAsync(route.Domain));
            }

            await env.SucceedAsync(env.Client.RemoveCertificateAsync("pick-wide"));
            await env.SucceedAsync(env.Client.RemoveCertificateAsync("pick-exact"));
        }
    }
}
