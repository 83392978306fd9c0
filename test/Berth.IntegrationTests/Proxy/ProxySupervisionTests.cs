using System.Globalization;
using System.Net;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Proxy;

/// <summary>berthd keeps its nginx running: through its own restarts and crashes, after nginx is killed, without needless reloads.</summary>
public sealed class ProxySupervisionTests(ProxyBerthEnvironment env) : IClassFixture<ProxyBerthEnvironment>
{
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }

    private async Task<bool> ServesAsync(string domain, string page)
    {
        try
        {
            var (status, body) = await env.GetAsync(domain);
            return status == HttpStatusCode.OK && body.Trim() == page;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Proxy_KilledNginxAndRestartedDaemon_ServeTheSameRoutes()
    {
        var web = await env.LaunchWebServerAsync("sup", "page-of-sup");
        var domain = $"sup.{env.Prefix}.test";
        await env.SucceedAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = domain }));
        Assert.True(await ServesAsync(domain, "page-of-sup"));
        var config = await File.ReadAllTextAsync(Path.Combine(env.ProxyDir, "nginx.conf"));

        // Unchanged store: reconcile passes (every second here) neither restart nor reload nginx, so its workers stay.
        var master = env.NginxPid()!.Value;
        var workers = env.NginxProcesses().Where(p => p != master).Order().ToList();
        Assert.NotEmpty(workers);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(master, env.NginxPid());
        Assert.Equal(workers, env.NginxProcesses().Where(p => p != master).Order().ToList());

        // A graceful daemon restart: nginx serves all along and is the same process afterwards.
        using var stop = new CancellationTokenSource();
        var failures = 0;
        var served = 0;
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (await ServesAsync(domain, "page-of-sup"))
                {
                    served++;
                }
                else
                {
                    failures++;
                }

                await Task.Delay(20);
            }
        });
        await env.Daemon.StopAsync();
        Assert.True(await ServesAsync(domain, "page-of-sup"));
        await env.StartDaemonAsync();
        await env.Daemon.KillAsync(); // and a crash
        Assert.True(await ServesAsync(domain, "page-of-sup"));
        await env.StartDaemonAsync();
        await stop.CancelAsync();
        await load;
        Assert.Equal(0, failures);
        Assert.True(served > 0);
        Assert.Equal(master, env.NginxPid());

        // kill -9 of the master: its workers linger with the sockets; the reconciler clears them and starts nginx again.
        await Host.RunCheckedAsync("kill", "-KILL", master.ToString(CultureInfo.InvariantCulture));
        Assert.True(await EventuallyAsync(async () => env.NginxPid() is { } pid && pid != master && await ServesAsync(domain, "page-of-sup")), env.Daemon.Log);
        Assert.DoesNotContain(env.NginxProcesses(), workers.Contains);
        Assert.Equal(config, await File.ReadAllTextAsync(Path.Combine(env.ProxyDir, "nginx.conf")));

        // kill -9 of both: nginx comes back with the same configuration when berthd does.
        await env.Daemon.KillAsync();
        foreach (var pid in env.NginxProcesses())
        {
            await Host.RunAsync("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
        }

        Assert.False(await ServesAsync(domain, "page-of-sup"));
        await env.StartDaemonAsync();
        Assert.True(await EventuallyAsync(() => ServesAsync(domain, "page-of-sup")), env.Daemon.Log);
        Assert.Equal(config, await File.ReadAllTextAsync(Path.Combine(env.ProxyDir, "nginx.conf")));

        // The last route gone, nginx stops and the port is free again.
        await env.SucceedAsync(env.Client.RemoveRouteAsync(domain));
        Assert.Null(env.NginxPid());
        Assert.Empty(env.NginxProcesses());
        Assert.False(await ServesAsync(domain, "page-of-sup"));
    }

    [Fact]
    public async Task Proxy_PortTakenByAnotherProgram_RouteRefusedWithNginxsReason()
    {
        Assert.Null(env.NginxPid());
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, env.HttpPort);
        squatter.Start();
        var web = await env.LaunchWebServerAsync("sq", "page-of-sq");
        var job = await env.WaitAsync(env.Client.AddRouteAsync(new RouteRequest { Container = web, Domain = $"sq.{env.Prefix}.test" }));
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Contains("Address already in use", job.Error, StringComparison.Ordinal);
        Assert.Empty(await env.Client.ListRoutesAsync());
        Assert.Null(env.NginxPid());
    }
}
