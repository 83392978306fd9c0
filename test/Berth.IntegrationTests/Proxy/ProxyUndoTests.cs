using System.Net;
using System.Net.Sockets;
using Berth.Client;
using Berth.Contracts;

namespace Berth.IntegrationTests.Proxy;

/// <summary>What a failed route leaves behind, and what a first start logs: nothing in both cases.</summary>
public sealed class ProxyUndoTests(ProxyUndoTests.UnreachableAcmeEnvironment env) : IClassFixture<ProxyUndoTests.UnreachableAcmeEnvironment>
{
    /// <summary>A proxy whose ACME settings are complete but whose server answers nothing (its orders fail; no test needs one to work).</summary>
    public sealed class UnreachableAcmeEnvironment : ProxyBerthEnvironment
    {
        protected override string[] DaemonArguments => [.. base.DaemonArguments, "--acme-email", "admin@berth.test", "--acme-directory", "https://127.0.0.1:9/directory"];
    }

    [Fact]
    public async Task TlsAutoRoute_WhoseJobFails_TakesItsPendingAcmeRequestWithIt()
    {
        var web = await env.LaunchWebServerAsync("undo", "page-of-undo");
        var domain = $"undo.{env.Prefix}.test";

        // Another program holds the proxy's port before nginx's first start, so the route's job fails.
        JobInfo job;
        using (var squatter = new TcpListener(IPAddress.Loopback, env.HttpPort))
        {
            squatter.Start();
            job = await env.WaitAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain, Tls = "auto" }));
        }

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Empty(await env.Client.ListRoutesAsync(web));

        // No request is left for the renewal check to order for ever: as far as the API knows, there is no such certificate.
        var remove = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.RemoveCertificateAsync($"acme-{domain}"));
        Assert.Equal(404, remove.Status);
        Assert.DoesNotContain(await env.Client.ListCertificatesAsync(), c => c.Name == $"acme-{domain}");
    }
}

/// <summary>A first start logs no failed pass: on its own daemon, since another test's squatted port makes passes fail on purpose.</summary>
public sealed class ProxyFirstStartTests(ProxyBerthEnvironment env) : IClassFixture<ProxyBerthEnvironment>
{
    [Fact]
    public async Task FirstStart_ReconcilesTheProxyOnlyOnceTheSchemaIsThere()
    {
        // The reconcile interval is a second: a few passes have run.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain("no such table", env.Daemon.Log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ProxyReconciler pass failed", env.Daemon.Log, StringComparison.Ordinal);
    }
}
