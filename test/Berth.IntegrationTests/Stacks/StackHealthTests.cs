using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Stacks;

/// <summary>
/// A stack whose containers go up side by side: a healthcheck and restart: that the health monitor keeps watching after
/// up, a changed healthcheck changed in place, and a failed up that undoes every container its branches made.
/// </summary>
public sealed class StackHealthTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static readonly Dictionary<string, string> Inputs = new() { ["www/index.html"] = "hello\n" };

    private const string Check = "wget -q -O /dev/null http://127.0.0.1/index.html";

    private static string Yaml(string stack, string bridge, string subnet, int retries, string dbCheck = Check) => $$"""
        name: {{stack}}
        networks:
          net: { subnet: {{subnet}}, bridge: {{bridge}} }
        bases:
          box:
            image: busybox
            files: { /www/: ./www/ }
        containers:
          db:
            base: box
            restart: on-failure
            service: "httpd -f -p 80 -h /www"
            healthcheck: { command: "{{dbCheck}}", interval: 1s, retries: {{retries}} }
          cache: { base: box, service: "httpd -f -p 80 -h /www" }
          queue: { base: box, service: "httpd -f -p 80 -h /www" }
          mail: { base: box, service: "httpd -f -p 80 -h /www" }
          web:
            base: box
            depends_on: { db: { condition: healthy }, cache: { condition: started } }
            service: "httpd -f -p 80 -h /www"
        """;

    [Fact]
    public async Task Up_HealthcheckAndRestart_AreTheContainersKeys_AndAChangedCheckIsChangedInPlace()
    {
        var stack = env.Name("shop");
        var bridge = env.NetworkName("shop");
        var subnet = env.NextSubnet();
        try
        {
            var plan = await env.Client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet, 30), Inputs));
            await env.SucceedAsync(Task.FromResult(plan.Job!));
            var ps = await env.Client.GetStackAsync(stack);
            Assert.Equal(["db", "cache", "queue", "mail", "web"], ps.Containers.Select(c => c.Name));
            Assert.All(ps.Containers, c => Assert.Equal(ContainerStatus.Running, c.Status));

            // The health monitor watches db after the up: GET /api/v1/containers/STACK-db says healthy.
            var db = $"{stack}-db";
            var info = await UntilHealthyAsync(db);
            var config = (await env.Client.GetConfigAsync(db)).Config;
            Assert.Equal(Check, config["health.command"]);
            Assert.Equal("1s", config["health.interval"]);
            Assert.Equal("30", config["health.retries"]);
            Assert.Equal("on-failure", config["restart.policy"]);
            Assert.Null((await env.Client.GetContainerAsync($"{stack}-cache")).Health);

            // A changed healthcheck changes db's keys in place: same init, web untouched.
            var webPid = (await env.Client.GetContainerAsync($"{stack}-web")).InitPid;
            var changed = await env.Client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet, 40), Inputs));
            Assert.Equal("change", changed.Items.Single(i => i.Kind == "container" && i.Name == "db").Action);
            Assert.Equal("unchanged", changed.Items.Single(i => i.Kind == "container" && i.Name == "web").Action);
            await env.SucceedAsync(Task.FromResult(changed.Job!));
            Assert.Equal("40", (await env.Client.GetConfigAsync(db)).Config["health.retries"]);
            Assert.Equal(info.InitPid, (await env.Client.GetContainerAsync(db)).InitPid);
            Assert.Equal(webPid, (await env.Client.GetContainerAsync($"{stack}-web")).InitPid);
        }
        finally
        {
            await DownQuietlyAsync(stack);
        }
    }

    [Fact]
    public async Task Up_DependencyNeverHealthy_UndoesEveryContainerTheParallelBranchesMade()
    {
        var stack = env.Name("sick");
        var bridge = env.NetworkName("sick");
        var subnet = env.NextSubnet();
        try
        {
            var plan = await env.Client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet, 2, dbCheck: "false"), Inputs));
            var job = await env.WaitAsync(Task.FromResult(plan.Job!));
            Assert.Equal(JobStatus.Failed, job.Status);
            Assert.Contains("healthcheck failed 2 times", job.Error, StringComparison.Ordinal);

            // cache, queue and mail were made beside db; the undo removed them, the base and the network all the same.
            Assert.DoesNotContain((await env.Client.ListContainersAsync()).Select(c => c.Name), n => n.StartsWith(stack + "-", StringComparison.Ordinal));
            Assert.DoesNotContain((await env.Client.ListNetworksAsync()).Select(n => n.Name), n => n == bridge);
            Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => env.Client.GetStackAsync(stack))).Status);
            Assert.DoesNotContain(Directory.Exists(env.LxcPath) ? Directory.GetDirectories(env.LxcPath).Select(Path.GetFileName) : [], n => n!.StartsWith(stack + "-", StringComparison.Ordinal));
        }
        finally
        {
            await DownQuietlyAsync(stack);
        }
    }

    private async Task<ContainerInfo> UntilHealthyAsync(string name)
    {
        using var patience = new CancellationTokenSource(Patience);
        ContainerInfo info;
        while ((info = await env.Client.GetContainerAsync(name)).Health != ContainerHealth.Healthy)
        {
            Assert.False(patience.IsCancellationRequested, $"{name} did not become healthy: status {info.Status}, health {info.Health}\n--- berthd log ---\n{env.Daemon.Log}");
            await Task.Delay(250);
        }

        return info;
    }

    private async Task DownQuietlyAsync(string stack)
    {
        try
        {
            await env.WaitAsync(env.Client.DownStackAsync(stack));
        }
        catch (BerthApiException)
        {
            // Already gone.
        }
    }
}
