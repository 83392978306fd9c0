using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Proxy;

/// <summary>ACME against a real pebble on loopback: HTTP-01 through Berth's nginx, DNS-01 through the hook, failures that install nothing.</summary>
public sealed class AcmeTests(AcmeBerthEnvironment env) : IClassFixture<AcmeBerthEnvironment>
{
    private string Domain(string hint) => $"{hint}.{env.Prefix}.test";

    [Fact]
    public async Task TlsAuto_ObtainsACertificateThroughHttp01_ServesItAndRedirectsHttp()
    {
        var web = await env.LaunchWebServerAsync("auto", "page-of-auto");
        var domain = Domain("auto");
        var root = await env.Pebble.RootAsync();

        // The CLI waits for the route, then for the order --tls auto started.
        var cli = await CliRunner.RunAsync(env.StateDir, "route", "add", web, domain, "--tls", "auto", "--redirect-https");
        Assert.True(cli.ExitCode == 0, cli.Stderr + cli.Stdout + "\n--- berthd ---\n" + env.Daemon.Log + "\n--- pebble ---\n" + env.Pebble.Log);
        Assert.Contains($"HTTPS for {domain} with certificate acme-{domain}", cli.Stdout, StringComparison.Ordinal);

        var certificate = Assert.Single(await env.Client.ListCertificatesAsync(), c => c.Name == $"acme-{domain}");
        Assert.Equal("acme", certificate.Origin);
        Assert.Equal([domain], certificate.Domains);
        Assert.Equal([domain], certificate.ServedFor);
        Assert.Equal(certificate.NotBefore + ((certificate.NotAfter - certificate.NotBefore) * 2 / 3), certificate.RenewAt);
        Assert.Null(certificate.Warning);
        Assert.Equal($"acme-{domain}", Assert.Single(await env.Client.ListRoutesAsync(web)).Certificate);

        var (status, body, served) = await env.GetHttpsAsync(domain, root);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("page-of-auto", body.Trim());
        Assert.Equal(certificate.Fingerprint, Convert.ToHexStringLower(served.GetCertHash(HashAlgorithmName.SHA256)));

        // Plain HTTP is sent to HTTPS with 308, on the proxy's HTTPS port, the path and query kept.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{env.HttpPort.ToString(CultureInfo.InvariantCulture)}/a/b?c=d"))
        {
            request.Headers.Host = domain;
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
            Assert.Equal($"https://{domain}:{env.HttpsPort.ToString(CultureInfo.InvariantCulture)}/a/b?c=d", response.Headers.Location?.ToString());
        }

        // ...except ACME's challenge path, which answers over HTTP from the webroot for every name.
        var tokens = Path.Combine(env.ProxyDir, "acme-challenge", ".well-known", "acme-challenge");
        await File.WriteAllTextAsync(Path.Combine(tokens, "probe-token"), "probe-value");
        try
        {
            foreach (var host in new[] { domain, Domain("unrouted") })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{env.HttpPort.ToString(CultureInfo.InvariantCulture)}/.well-known/acme-challenge/probe-token");
                request.Headers.Host = host;
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("probe-value", await response.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            File.Delete(Path.Combine(tokens, "probe-token"));
        }

        // Keys are root's alone: the served one, and lego's account key.
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(Path.Combine(env.ProxyDir, "certs", $"acme-{domain}.key")));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(env.ProxyDir, "acme")));
        var accountKeys = Directory.GetFiles(Path.Combine(env.ProxyDir, "acme", "accounts"), "*.key", SearchOption.AllDirectories);
        Assert.NotEmpty(accountKeys);
        Assert.All(accountKeys, k => Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(k)));

        var issued = await env.RecentEventsAsync(e => e.Action == "certificate.issued" && e.Target == $"acme-{domain}");
        Assert.Single(issued);
    }

    [Fact]
    public async Task CertIssue_WildcardThroughDns01_CoversTheRoutedNames()
    {
        var web = await env.LaunchWebServerAsync("wild", "page-of-wild");
        var zone = $"w{env.Prefix}.test";
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = $"app.{zone}" }));

        var cli = await CliRunner.RunAsync(env.StateDir, "cert", "issue", "wild", "--domain", $"*.{zone}");
        Assert.True(cli.ExitCode == 0, cli.Stderr + cli.Stdout + "\n--- berthd ---\n" + env.Daemon.Log + "\n--- pebble ---\n" + env.Pebble.Log);

        var certificate = await env.Client.GetCertificateAsync("wild");
        Assert.Equal("acme", certificate.Origin);
        Assert.Equal([$"*.{zone}"], certificate.Domains);
        Assert.Equal([$"app.{zone}"], certificate.ServedFor);
        var (status, body, served) = await env.GetHttpsAsync($"app.{zone}", await env.Pebble.RootAsync());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("page-of-wild", body.Trim());
        Assert.Equal(certificate.Fingerprint, Convert.ToHexStringLower(served.GetCertHash(HashAlgorithmName.SHA256)));

        var list = await CliRunner.RunAsync(env.StateDir, "cert", "list");
        Assert.Contains("wild", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("acme", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsAuto_ChallengeServerDown_RouteServesHttp_NothingInstalled_ThenRetriedWithBackoff()
    {
        var web = await env.LaunchWebServerAsync("down", "page-of-down");
        var domain = Domain("down");
        var name = $"acme-{domain}";
        await env.Pebble.StopDnsAsync();
        var retried = DateTimeOffset.MaxValue;
        try
        {
            var before = DateTimeOffset.UtcNow.AddSeconds(-1);
            await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain, Tls = "auto", RedirectHttps = true }));
            var failed = await env.OrderAsync(name, before);
            retried = failed.CreatedAt.AddTicks(1);
            Assert.Equal(JobStatus.Failed, failed.Status);
            Assert.StartsWith("lego: ", failed.Error, StringComparison.Ordinal);
            Assert.Contains(domain, failed.Error, StringComparison.Ordinal);

            // The route serves HTTP (no redirect without a certificate), and nothing of a certificate is there.
            var (status, body) = await env.GetAsync(domain);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("page-of-down", body.Trim());
            Assert.DoesNotContain(await env.Client.ListCertificatesAsync(), c => c.Name == name);
            Assert.False(File.Exists(Path.Combine(env.ProxyDir, "certs", name + ".crt")));
            Assert.False(File.Exists(Path.Combine(env.ProxyDir, "certs", name + ".key")));
            Assert.Null(Assert.Single(await env.Client.ListRoutesAsync(web)).Certificate);
            Assert.NotEmpty(await env.RecentEventsAsync(e => e.Action == "certificate.issue-failed" && e.Target == name && e.Message!.Contains("lego", StringComparison.Ordinal)));
        }
        finally
        {
            await env.Pebble.StartDnsAsync();
        }

        // The renewal check orders again after the backoff, and this time it works.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        CertificateInfo? issued = null;
        while (issued is null && DateTimeOffset.UtcNow < deadline)
        {
            issued = (await env.Client.ListCertificatesAsync()).FirstOrDefault(c => c.Name == name);
            await Task.Delay(500);
        }

        Assert.True(issued is not null, $"no retry issued {name}\n--- berthd ---\n{env.Daemon.Log}\n--- pebble ---\n{env.Pebble.Log}");
        Assert.Equal(JobStatus.Succeeded, (await env.OrderAsync(name, retried)).Status); // the row is written just before nginx reloads
        Assert.Equal(HttpStatusCode.OK, (await env.GetHttpsAsync(domain, await env.Pebble.RootAsync())).Status);
    }

    [Fact]
    public async Task BadTlsInput_IsRefused_AndNothingChanges()
    {
        var web = await env.LaunchWebServerAsync("bad", "page-of-bad");
        var domain = Domain("bad");

        async Task Refused(RouteRequest request, HttpStatusCode status, string says)
        {
            var ex = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.AddRouteAsync(request));
            Assert.Equal((int)status, ex.Status);
            Assert.Contains(says, ex.Message, StringComparison.Ordinal);
        }

        await Refused(new RouteRequest { Container = web, Domain = domain, Tls = "nosuch" }, HttpStatusCode.NotFound, "no certificate named 'nosuch'");
        await Refused(new RouteRequest { Container = web, Domain = domain, Tls = "off", RedirectHttps = true }, HttpStatusCode.BadRequest, "redirectHttps");
        await Refused(new RouteRequest { Container = web, Domain = domain, Tls = "Bad Name" }, HttpStatusCode.BadRequest, "neither auto, off nor a certificate name");
        await Refused(new RouteRequest { Container = web, Domain = domain, Path = "/.well-known/acme-challenge/x/" }, HttpStatusCode.BadRequest, "ACME");
        Assert.Empty(await env.Client.ListRoutesAsync(web));

        // One domain has one certificate: its paths cannot ask for different ones.
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain, Tls = "off" }));
        await Refused(new RouteRequest { Container = web, Domain = domain, Path = "/x/", Tls = "auto" }, HttpStatusCode.Conflict, "tls: off");
        Assert.Single(await env.Client.ListRoutesAsync(web));

        // A wildcard cannot be validated over HTTP; an HTTP-01 name needs a route; nothing is recorded either way.
        var wildcard = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.IssueCertificateAsync(new CertificateIssueRequest { Name = "badwild", Domains = [$"*.{domain}"], Challenge = "http" }));
        Assert.Equal(400, wildcard.Status);
        var unrouted = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.IssueCertificateAsync(new CertificateIssueRequest { Name = "badhttp", Domains = [Domain("nowhere")] }));
        Assert.Equal(409, unrouted.Status);
        var cli = await CliRunner.RunAsync(env.StateDir, "cert", "issue", "badhttp", "--domain", Domain("nowhere"));
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Single(cli.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain(await env.Client.ListCertificatesAsync(), c => c.Name.StartsWith("bad", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CertIssue_OrderRefused_LeavesNoRequestNoFiles()
    {
        var web = await env.LaunchWebServerAsync("refd", "page-of-refd");
        var domain = Domain("refd");
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));
        await env.Pebble.StopDnsAsync();
        JobInfo job;
        try
        {
            job = await env.WaitAsync(env.Client.IssueCertificateAsync(new CertificateIssueRequest { Name = "refused", Domains = [domain] }));
        }
        finally
        {
            await env.Pebble.StartDnsAsync();
        }

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.StartsWith("lego: ", job.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await env.Client.ListCertificatesAsync(), c => c.Name == "refused");
        Assert.False(File.Exists(Path.Combine(env.ProxyDir, "certs", "refused.crt")));
        Assert.False(File.Exists(Path.Combine(env.ProxyDir, "certs", "refused.key")));

        // Nothing was kept to retry: the name is free again, and a second order works.
        await env.SucceedAsync(env.Client.IssueCertificateAsync(new CertificateIssueRequest { Name = "refused", Domains = [domain] }));
        Assert.Equal("acme", (await env.Client.GetCertificateAsync("refused")).Origin);
    }

    [Fact]
    public async Task Order_DaemonKilledWhileLegoRuns_InstallsNothing_StopsLego_AndIsOrderedAgain()
    {
        var web = await env.LaunchWebServerAsync("crash", "page-of-crash");
        var domain = Domain("crash");
        var name = $"acme-{domain}";
        var pidFile = Path.Combine(env.Pebble.Dir, "slow-lego.pid");
        var wrapper = Path.Combine(env.Pebble.Dir, "slow-lego");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\necho $$ > {pidFile}\nsleep 60\nexec lego \"$@\"\n");
        File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        await env.Daemon.KillAsync();
        await env.StartDaemonAsync("--Berth:Proxy:Lego", wrapper);
        try
        {
            var before = DateTimeOffset.UtcNow.AddSeconds(-1);
            await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain, Tls = "auto" }));
            // The shell creates the file before it writes the pid into it: wait for the whole line.
            var written = "";
            for (var i = 0; i < 100 && !written.EndsWith('\n'); i++)
            {
                await Task.Delay(100);
                written = File.Exists(pidFile) ? await File.ReadAllTextAsync(pidFile) : "";
            }

            var pid = int.Parse(written.Trim(), CultureInfo.InvariantCulture);
            var job = (await env.Client.ListJobsAsync(100)).Single(j => j.Kind == "cert.issue" && j.Target == $"cert:{name}" && j.CreatedAt >= before);
            await env.Daemon.KillAsync();

            // The next daemon (with the real lego) ends the interrupted order, stops what it ran, and orders again.
            var restarted = DateTimeOffset.UtcNow.AddSeconds(-1);
            await env.StartDaemonAsync();
            var recovered = await env.Client.GetJobAsync(job.Id);
            Assert.Equal(JobStatus.Failed, recovered.Status);
            Assert.Contains("interrupted by a daemon restart", recovered.Error, StringComparison.Ordinal);
            Assert.False(Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}") && !File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat").Contains(") Z ", StringComparison.Ordinal), "the interrupted order's lego still runs");
            Assert.Equal("page-of-crash", (await env.GetAsync(domain)).Body.Trim());

            var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
            while (DateTimeOffset.UtcNow < deadline && (await env.Client.ListCertificatesAsync()).All(c => c.Name != name))
            {
                await Task.Delay(500);
            }

            Assert.True((await env.Client.ListCertificatesAsync()).Any(c => c.Name == name), $"{name} was not ordered again\n--- berthd ---\n{env.Daemon.Log}");
            Assert.Equal(JobStatus.Succeeded, (await env.OrderAsync(name, restarted)).Status);
            Assert.Equal(HttpStatusCode.OK, (await env.GetHttpsAsync(domain, await env.Pebble.RootAsync())).Status);
        }
        finally
        {
            if (env.Daemon.HasExited)
            {
                await env.StartDaemonAsync();
            }
        }
    }
}
