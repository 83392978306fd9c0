using System.Net;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Proxy;

namespace Berth.IntegrationTests.Stacks;

/// <summary>
/// A stack container with a domain route (through the real nginx proxy) serving a host directory it bind-mounts read-only;
/// a route change moves the route without a restart; down removes the route; a member's volumes are refused and make nothing.
/// </summary>
public sealed class StackRouteVolumeTests(MemberProxyBerthEnvironment env) : IClassFixture<MemberProxyBerthEnvironment>
{
    private string Yaml(string stack, string bridge, string subnet, string domain, string hostDir) => $$"""
        name: {{stack}}
        networks:
          net: { subnet: {{subnet}}, bridge: {{bridge}} }
        containers:
          web:
            image: busybox
            service: "httpd -f -p 8080 -h /srv/www"
            volumes: ["{{hostDir}}:/srv/www:ro"]
            routes: ["{{domain}}:8080"]
        """;

    [Fact]
    public async Task Up_RoutesToAContainerServingItsVolume_RouteChangeInPlace_DownRemovesTheRoute()
    {
        var stack = env.Name("rv");
        var bridge = env.NetworkName("rv");
        var subnet = env.NextSubnet();
        var hostDir = Path.Combine(env.StateDir, "stack-volume");
        Directory.CreateDirectory(hostDir);
        File.SetUnixFileMode(hostDir, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(hostDir, "index.html"), "served from the host\n");
        File.SetUnixFileMode(Path.Combine(hostDir, "index.html"), (UnixFileMode)0b110_100_100);
        var first = $"web.{env.MemberSuffix}";
        var second = $"shop.{env.MemberSuffix}";
        var container = $"{stack}-web";

        var plan = await env.Client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet, first, hostDir)));
        await env.SucceedAsync(Task.FromResult(plan.Job!));
        Assert.Equal([(first, "/", 8080)], (await env.Client.ListRoutesAsync(container)).Select(r => (r.Domain, r.Path, r.Port)));
        Assert.Equal($"{hostDir}:/srv/www:ro", (await env.Client.GetContainerAsync(container)).Config["volumes"]);
        var (status, body) = await GetEventuallyAsync(first);
        Assert.Equal((HttpStatusCode.OK, "served from the host"), (status, body.Trim()));
        var write = await env.ExecAsync(container, "touch", "/srv/www/written");
        Assert.NotEqual(0, write.ExitCode);
        Assert.False(File.Exists(Path.Combine(hostDir, "written")));

        // A new domain: the route moves, the container keeps running (same init).
        var pid = (await env.Client.GetContainerAsync(container)).InitPid;
        var moved = await env.Client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet, second, hostDir)));
        var item = moved.Items.Single(i => i.Kind == "container");
        Assert.Equal(("change", "routes changed"), (item.Action, item.Reason));
        await env.SucceedAsync(Task.FromResult(moved.Job!));
        Assert.Equal([second], (await env.Client.ListRoutesAsync(container)).Select(r => r.Domain));
        Assert.Equal(pid, (await env.Client.GetContainerAsync(container)).InitPid);
        Assert.Equal("served from the host", (await GetEventuallyAsync(second)).Body.Trim());

        await env.SucceedAsync(env.Client.DownStackAsync(stack));
        Assert.DoesNotContain(await env.Client.ListRoutesAsync(), r => r.Domain == first || r.Domain == second);
        Assert.True(File.Exists(Path.Combine(hostDir, "index.html")), "down must leave the host directory alone");
    }

    [Fact]
    public async Task Member_Volumes_AreRefused_AndNothingIsMade()
    {
        var member = env.Name("vm");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member", Password = "stack-password-1" });
        var token = (await env.Client.CreateTokenAsync(member, new TokenCreateRequest { Name = "laptop" })).Token;
        using var client = new BerthClient(env.BaseAddress, token);
        var stack = env.Name("mv");
        var yaml = Yaml(stack, env.NetworkName("mv"), env.NextSubnet(), $"m.{env.MemberSuffix}", "/etc");

        var refused = await Assert.ThrowsAsync<BerthApiException>(() => client.UpStackAsync(stack, StackTar.Pack(yaml)));
        Assert.Equal(403, refused.Status);
        Assert.Contains("only an admin's stack may", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => env.Client.GetStackAsync(stack))).Status);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name.StartsWith(stack, StringComparison.Ordinal));

        // The config key is refused for members too, on their own container.
        var own = env.Name("vo");
        await env.SucceedAsync(client.LaunchAsync(new LaunchRequest { Name = own, Image = "busybox", Start = false }));
        var set = await Assert.ThrowsAsync<BerthApiException>(() => client.UpdateConfigAsync(own, new ConfigUpdateRequest { Set = new Dictionary<string, string> { ["volumes"] = "/etc:/mnt" } }));
        Assert.Equal(403, set.Status);
        Assert.False((await env.Client.GetContainerAsync(own)).Config.ContainsKey("volumes"));
    }

    [Fact]
    public async Task Member_ImportingAnArchiveWithVolumes_IsRefused_AnAdminsImportKeepsThem()
    {
        var member = env.Name("vi");
        await env.Client.CreateUserAsync(new UserCreateRequest { Name = member, Role = "member", Password = "stack-password-1" });
        var token = (await env.Client.CreateTokenAsync(member, new TokenCreateRequest { Name = "laptop" })).Token;
        using var client = new BerthClient(env.BaseAddress, token);
        var mounted = env.Name("vs");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = mounted, Image = "busybox", Start = false, Config = new Dictionary<string, string> { ["volumes"] = "/etc:/mnt/host:ro" } }));
        byte[] archive;
        using (var exported = new MemoryStream())
        {
            await env.Client.ExportToStreamAsync(mounted, exported);
            archive = exported.ToArray();
        }

        var copy = env.Name("vc");
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => client.ImportFromStreamAsync(new MemoryStream(archive), new ImportRequest { Name = copy }));
        Assert.Equal(403, refused.Status);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == copy);

        await env.SucceedAsync(env.Client.ImportFromStreamAsync(new MemoryStream(archive), new ImportRequest { Name = copy }));
        Assert.Equal("/etc:/mnt/host:ro", (await env.Client.GetContainerAsync(copy)).Config["volumes"]);
    }

    /// <summary>The proxy reloads after the route's job; ask a few times for the answer.</summary>
    private async Task<(HttpStatusCode Status, string Body)> GetEventuallyAsync(string host)
    {
        var answer = (HttpStatusCode.NotFound, "");
        for (var i = 0; i < 50; i++)
        {
            answer = await env.GetThroughProxyAsync(host, "/index.html");
            if (answer.Item1 == HttpStatusCode.OK)
            {
                break;
            }

            await Task.Delay(200);
        }

        return answer;
    }

    [Fact]
    public async Task Volume_WhoseTargetTheContainerMadeALinkOut_NeverMountsOnTheHost()
    {
        // The container's rootfs has /mnt/data -> a host directory (absolute): the mount must not land on the host's.
        var source = Path.Combine(env.StateDir, "vol-source");
        var victim = Path.Combine(env.StateDir, "vol-victim");
        Directory.CreateDirectory(source);
        Directory.CreateDirectory(victim);
        await File.WriteAllTextAsync(Path.Combine(source, "from-source"), "x");
        var name = env.Name("vlink");
        await env.SucceedAsync(env.Client.LaunchAsync(new LaunchRequest { Name = name, Image = "busybox", Start = false, Config = new Dictionary<string, string> { ["volumes"] = $"{source}:/mnt/data" } }));
        var rootfs = Path.Combine(env.LxcPath, name, "rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "mnt"));
        File.CreateSymbolicLink(Path.Combine(rootfs, "mnt", "data"), victim);

        var start = await env.WaitAsync(env.Client.ChangeStateAsync(name, new StateChangeRequest { Action = "start" }));
        Assert.False(File.Exists(Path.Combine(victim, "from-source")), $"the volume was mounted over the host's {victim} (start {start.Status})");
        Assert.DoesNotContain(victim, await File.ReadAllTextAsync("/proc/self/mounts"), StringComparison.Ordinal);
        // LXC refuses a mount target that leads through a link, so the start fails, saying so, and the container stays stopped.
        Assert.Equal(JobStatus.Failed, start.Status);
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);
    }
}
