using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Stacks;

/// <summary>
/// A recreated container is built beside the running one and swapped in: its forward follows it, nothing is left
/// aside; when the new one never gets healthy the up fails and the old one runs again under its name, reachable as before.
/// </summary>
public sealed class StackRecreateTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private static readonly Dictionary<string, string> Inputs = new() { ["www/index.html"] = "one\n" };

    private static string Yaml(string stack, string bridge, string subnet, int port, string run) => $$"""
        name: {{stack}}
        networks:
          net: { subnet: {{subnet}}, bridge: {{bridge}} }
        bases:
          box:
            image: busybox
            files: { /www/: ./www/ }
            run: ["{{run}}"]
        containers:
          web:
            base: box
            service: "httpd -f -p 80 -h /www"
            healthcheck: { command: "wget -q -O /dev/null http://127.0.0.1/index.html", interval: 200ms, retries: 5 }
            forwards: ["{{port}}:80/tcp"]
        """;

    [Fact]
    public async Task Recreate_ChangedBase_NewContainerSwappedIn_ForwardFollows_NothingLeftAside()
    {
        var (stack, bridge, subnet, port) = (env.Name("swap"), env.NetworkName("swap"), env.NextSubnet(), FreePort());
        try
        {
            await env.SucceedAsync(Task.FromResult((await env.Client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet, port, "true"), Inputs))).Job!));
            Assert.Equal("one", await ServedAsync(port, "one"));

            var changed = await env.Client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet, port, "echo two > /www/index.html"), Inputs));
            var item = changed.Items.Single(i => i.Kind == "container");
            Assert.Equal(("recreate", "base box rebuilt"), (item.Action, item.Reason));
            await env.SucceedAsync(Task.FromResult(changed.Job!));

            Assert.Equal("two", await ServedAsync(port, "two"));
            var web = await env.Client.GetContainerAsync($"{stack}-web");
            Assert.Equal(web.Ipv4, Assert.Single(await env.Client.ListForwardsAsync(web.Name)).TargetAddress);
            var names = (await env.Client.ListContainersAsync()).Select(c => c.Name).Where(n => n.StartsWith(stack + "-", StringComparison.Ordinal)).ToList();
            Assert.Equal([$"{stack}-web", Assert.Single((await env.Client.GetStackAsync(stack)).Bases)], names.Order(StringComparer.Ordinal).Reverse());
        }
        finally
        {
            await DownQuietlyAsync(stack);
        }
    }

    [Fact]
    public async Task Recreate_NewOneNeverHealthy_UpFails_OldOneRunsAgainUnderItsName()
    {
        var (stack, bridge, subnet, port) = (env.Name("keep"), env.NetworkName("keep"), env.NextSubnet(), FreePort());
        var first = Yaml(stack, bridge, subnet, port, "true");
        try
        {
            await env.SucceedAsync(Task.FromResult((await env.Client.UpStackAsync(stack, StackTar.Pack(first, Inputs))).Job!));
            var before = await env.Client.GetStackAsync(stack);
            Assert.Equal("one", await ServedAsync(port, "one"));

            // The rebuilt base has no page: the new container's healthcheck never passes.
            var broken = await env.Client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet, port, "rm /www/index.html"), Inputs));
            Assert.Equal("recreate", broken.Items.Single(i => i.Kind == "container").Action);
            var job = await env.WaitAsync(Task.FromResult(broken.Job!));
            Assert.Equal(JobStatus.Failed, job.Status);
            Assert.Contains("healthcheck failed 5 times", job.Error, StringComparison.Ordinal);

            var web = await env.Client.GetContainerAsync($"{stack}-web");
            Assert.Equal(ContainerStatus.Running, web.Status);
            Assert.Equal("one", await ServedAsync(port, "one"));
            Assert.Equal(web.Ipv4, Assert.Single(await env.Client.ListForwardsAsync(web.Name)).TargetAddress);
            var names = (await env.Client.ListContainersAsync()).Select(c => c.Name).Where(n => n.StartsWith(stack + "-", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            Assert.Equal([$"{stack}-web", Assert.Single(before.Bases)], names.Reverse());

            // The stack still holds what ran: the first file again has nothing to do.
            var again = await env.Client.UpStackAsync(stack, StackTar.Pack(first, Inputs));
            Assert.Null(again.Job);
            Assert.All(again.Items, i => Assert.Equal("unchanged", i.Action));
        }
        finally
        {
            await DownQuietlyAsync(stack);
        }
    }

    /// <summary>What the forward on the host's loopback serves, once it serves <paramref name="expected"/> (a started httpd may take a moment).</summary>
    private static async Task<string> ServedAsync(int port, string expected)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/index.html"))).Trim();
                if (last == expected)
                {
                    return last;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(250);
        }

        return last;
    }

    private static int FreePort()
    {
        while (true)
        {
            var port = RandomNumberGenerator.GetInt32(20000, 30000);
            try
            {
                using var probe = new TcpListener(IPAddress.Any, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
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
