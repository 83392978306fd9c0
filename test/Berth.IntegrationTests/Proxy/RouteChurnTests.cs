using System.Diagnostics;
using System.Globalization;
using Berth.Contracts;

namespace Berth.IntegrationTests.Proxy;

/// <summary>Routes come and go while another route carries traffic: each change reloads nginx, and no request of the other route fails.</summary>
public sealed class RouteChurnTests(ProxyBerthEnvironment env) : IClassFixture<ProxyBerthEnvironment>
{
    [Fact]
    public async Task FiftyRoutesAddedAndRemoved_WhileWrkRunsAgainstAnother_NoRequestFails()
    {
        var web = await env.LaunchWebServerAsync("steady", "page-of-steady");
        var other = await env.LaunchWebServerAsync("churn", "page-of-churn");
        var steady = $"steady.{env.Prefix}.test";
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = steady }));

        // wrk stops at SIGINT and prints its counts: every response that is not 2xx/3xx and every socket error is a failed request.
        // One connection per request: a reload closes idle keepalive connections, and a request sent into that close is
        // lost to a client that does not retry (wrk; browsers do retry) - that race belongs to HTTP keepalive, not to routes.
        // The timeout is wrk's, long since the machine is shared: a slow answer is not a failed one.
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t2", "-c16", "-d300s", "--timeout", "30s", "-H", "Connection: close", "-H", $"Host: {steady}", $"http://127.0.0.1:{env.HttpPort.ToString(CultureInfo.InvariantCulture)}/" })
        {
            info.ArgumentList.Add(arg);
        }

        using var wrk = Process.Start(info)!;
        var output = wrk.StandardOutput.ReadToEndAsync();
        var errors = wrk.StandardError.ReadToEndAsync();
        try
        {
            await Task.Delay(500);
            var domains = Enumerable.Range(0, 50).Select(i => $"c{i.ToString(CultureInfo.InvariantCulture)}.{env.Prefix}.test").ToList();
            foreach (var domain in domains)
            {
                await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = other, Domain = domain }));
            }

            Assert.Equal("page-of-churn", (await env.GetAsync(domains[^1])).Body.Trim());
            foreach (var domain in domains)
            {
                await env.SucceedAsync(env.Client.RemoveRouteAsync(domain));
            }

            await Task.Delay(500);
        }
        finally
        {
            await Infrastructure.Host.RunAsync("kill", "-INT", wrk.Id.ToString(CultureInfo.InvariantCulture));
            await wrk.WaitForExitAsync();
        }

        var report = await output + await errors;
        Assert.Contains("requests in", report, StringComparison.Ordinal);
        Assert.True(long.Parse(report.Split(" requests in")[0].Split('\n')[^1].Trim(), CultureInfo.InvariantCulture) > 0, report);
        Assert.False(report.Contains("Non-2xx or 3xx responses", StringComparison.Ordinal) || report.Contains("Socket errors", StringComparison.Ordinal), report);
        Assert.Single(await env.Client.ListRoutesAsync());
    }
}
