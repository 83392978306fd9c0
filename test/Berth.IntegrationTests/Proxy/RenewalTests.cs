using System.Net;
using System.Security.Cryptography;
using Berth.Contracts;

namespace Berth.IntegrationTests.Proxy;

/// <summary>Renewal against pebble's 45-second certificates: at two thirds of the lifetime, and a failing one that keeps the old certificate served.</summary>
public sealed class RenewalTests(ShortLivedAcmeBerthEnvironment env) : IClassFixture<ShortLivedAcmeBerthEnvironment>
{
    [Fact]
    public async Task Renewal_AtTwoThirdsOfTheLifetime_ReplacesTheServedCertificate_AndAFailingOneKeepsTheOld()
    {
        var web = await env.LaunchWebServerAsync("renew", "page-of-renew");
        var domain = $"renew.{env.Prefix}.test";
        var name = $"acme-{domain}";
        var root = await env.Pebble.RootAsync();
        var start = DateTimeOffset.UtcNow.AddSeconds(-1);
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain, Tls = "auto" }));
        var firstOrder = await env.OrderAsync(name, start);
        Assert.Equal(JobStatus.Succeeded, firstOrder.Status);
        var first = await env.Client.GetCertificateAsync(name);
        Assert.Equal(first.Fingerprint, await ServedAsync(domain, root));

        // The renewal check orders once two thirds of the lifetime have passed, and nginx serves the new certificate.
        var renewed = await UntilAsync(async () => await env.Client.GetCertificateAsync(name) is var c && c.Fingerprint != first.Fingerprint ? c : null);
        var order = await env.OrderAsync(name, firstOrder.CreatedAt.AddTicks(1));
        Assert.Equal(JobStatus.Succeeded, order.Status);
        Assert.True(order.CreatedAt >= first.RenewAt, $"renewal ordered at {order.CreatedAt:O}, before {first.RenewAt:O}");
        Assert.True(renewed.NotAfter > first.NotAfter);
        Assert.Equal(renewed.Fingerprint, await ServedAsync(domain, root));
        Assert.NotEmpty(await env.RecentEventsAsync(e => e.Action == "certificate.renewed" && e.Target == name));

        // With the challenge server down the next renewal fails: reported, counted, and the renewed certificate stays served.
        await env.Pebble.StopDnsAsync();
        try
        {
            var failed = await UntilAsync(async () => (await env.RecentEventsAsync(e => e.Action == "certificate.renewal-failed" && e.Target == name)).FirstOrDefault());
            Assert.Contains("lego", failed.Message, StringComparison.Ordinal);
            Assert.Contains("still served", failed.Message, StringComparison.Ordinal);
            var kept = await env.Client.GetCertificateAsync(name);
            Assert.Equal(renewed.Fingerprint, kept.Fingerprint);
            Assert.StartsWith("lego: ", kept.LastError, StringComparison.Ordinal);
            Assert.Contains("renewal fails", kept.Warning, StringComparison.Ordinal);
            Assert.Equal(renewed.Fingerprint, await ServedAsync(domain, root));
            Assert.Contains(await env.Client.ListJobsAsync(100), j => j.Kind == "cert.issue" && j.Target == $"cert:{name}" && j.Status == JobStatus.Failed && j.Error!.StartsWith("lego: ", StringComparison.Ordinal));
        }
        finally
        {
            await env.Pebble.StartDnsAsync();
        }
    }

    private async Task<string> ServedAsync(string domain, System.Security.Cryptography.X509Certificates.X509Certificate2 root)
    {
        var (status, body, served) = await env.GetHttpsAsync(domain, root);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("page-of-renew", body.Trim());
        return Convert.ToHexStringLower(served.GetCertHash(HashAlgorithmName.SHA256));
    }

    private async Task<T> UntilAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        for (var i = 0; i < 240; i++)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(500);
        }

        throw new InvalidOperationException($"gave up waiting\n--- berthd ---\n{env.Daemon.Log}\n--- pebble ---\n{env.Pebble.Log}");
    }
}
