using Berth.Daemon.Containers;
using Berth.Daemon.Stacks;

namespace Berth.Tests.Daemon.Stacks;

public sealed class StackRoutesAndVolumesTests
{
    private static StackParseResult Read(string containers) => new StackReader().Read([new StackSource("berth.yml", $"name: shop\ncontainers:\n{containers}")]);

    private static StackState State(StackDefinition d) => new() { Definition = d, Bases = new Dictionary<string, StackBaseState>() };

    [Fact]
    public void Routes_ListAndMapping_AreRead()
    {
        var result = Read("""
              web:
                image: busybox
                routes: ["shop.example.org:8080", "shop.example.org/api:3000", "bücher.example"]
              admin:
                image: busybox
                routes:
                  admin.example.org: 9000
                  ws.example.org: { port: 8081, path: /socket/, websocket: true, tls: "off" }
            """);
        Assert.Empty(result.Errors);
        var web = result.Definition!.Containers.Single(c => c.Key == "web").Routes;
        Assert.Equal(
            [new StackRoute("shop.example.org", "/", 8080, false, null), new StackRoute("shop.example.org", "/api/", 3000, false, null), new StackRoute("xn--bcher-kva.example", "/", 80, false, null)],
            web);
        var admin = result.Definition.Containers.Single(c => c.Key == "admin").Routes;
        Assert.Equal([new StackRoute("admin.example.org", "/", 9000, false, null), new StackRoute("ws.example.org", "/socket/", 8081, true, "off")], admin);
    }

    [Fact]
    public void Routes_BadDomainPathPortOrClash_AreErrorsWithTheirLines()
    {
        var result = Read("""
              web:
                image: busybox
                routes: ["not a domain:80", "ok.example.org/../x:80", "ok.example.org:70000"]
              api:
                image: busybox
                routes: { dup.example.org: { port: 0, colour: red } }
              one: { image: busybox, routes: ["dup.example.org"] }
              two: { image: busybox, routes: ["dup.example.org:81"] }
            """);
        Assert.Null(result.Definition);
        Assert.Equal(3, result.Errors.Count(e => e.StartsWith("berth.yml:5: containers.web.routes:", StringComparison.Ordinal)));
        Assert.Contains(result.Errors, e => e.StartsWith("berth.yml:8: containers.api.routes.dup.example.org.port:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("containers.api.routes.dup.example.org.colour: unknown key", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("dup.example.org/ is routed more than once (one, two)", StringComparison.Ordinal));
    }

    [Fact]
    public void Volumes_AreReadNormalised_AndGoIntoTheConfig()
    {
        var container = Read("  web: { image: busybox, volumes: [\"/srv/data/:/var/lib/data\", \"/srv/conf:/etc/app:ro\"], limits: { memory: 64MiB } }\n").Definition!.Containers[0];
        Assert.Equal(["/srv/data:/var/lib/data", "/srv/conf:/etc/app:ro"], container.Volumes);
        Assert.Equal("/srv/data:/var/lib/data,/srv/conf:/etc/app:ro", container.ConfigWithVolumes[BindMounts.Key]);
        Assert.Equal("64MiB", container.ConfigWithVolumes["limits.memory"]);
        Assert.False(container.Config.ContainsKey(BindMounts.Key));
    }

    [Theory]
    [InlineData("relative:/data")]
    [InlineData("/srv/data")]
    [InlineData("/srv/../etc:/data")]
    [InlineData("/srv/data:/")]
    [InlineData("/srv/da ta:/data")]
    [InlineData("/srv/data:/data:rx")]
    public void Volumes_BadEntries_AreErrors(string volume)
    {
        var result = Read($"  web: {{ image: busybox, volumes: [\"{volume}\"] }}\n");
        Assert.Null(result.Definition);
        Assert.StartsWith("berth.yml:3: containers.web.volumes:", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Volumes_SameMountPointTwice_IsAnError() =>
        Assert.Contains("/data is mounted twice", Assert.Single(Read("  web: { image: busybox, volumes: [\"/a:/data\", \"/b:/data/\"] }\n").Errors), StringComparison.Ordinal);

    [Fact]
    public void Plan_RouteChange_ChangesInPlace_VolumeChange_Restarts()
    {
        var before = Read("  web: { image: busybox, routes: [\"a.example.org\"] }\n").Definition!;
        var routed = Read("  web: { image: busybox, routes: [\"b.example.org\"] }\n").Definition!;
        var mounted = Read("  web: { image: busybox, routes: [\"a.example.org\"], volumes: [\"/srv:/srv\"] }\n").Definition!;
        var routePlan = StackPlanner.Plan(routed, State(before), new Dictionary<string, string>(), _ => true, _ => true).Of(StackPlan.Container, "web");
        Assert.Equal(("change", "routes changed"), (routePlan.Action, routePlan.Reason));
        var volumePlan = StackPlanner.Plan(mounted, State(before), new Dictionary<string, string>(), _ => true, _ => true).Of(StackPlan.Container, "web");
        Assert.Equal(("restart", "volumes changed"), (volumePlan.Action, volumePlan.Reason));
        Assert.True(StackPlanner.Plan(before, State(before), new Dictionary<string, string>(), _ => true, _ => true).NothingToDo);
    }

    [Fact]
    public void BindMounts_ConfigValue_RoundTrips_AndRefusesDuplicates()
    {
        var mounts = BindMounts.TryParse("/srv/a:/a, /srv/b:/b:ro", out _)!;
        Assert.Equal([new BindMounts.Mount("/srv/a", "/a", false), new BindMounts.Mount("/srv/b", "/b", true)], mounts);
        Assert.Equal("/srv/a:/a,/srv/b:/b:ro", BindMounts.Format(mounts));
        Assert.Null(BindMounts.TryParse("/srv/a:/a,/srv/b:/a", out var error));
        Assert.Contains("mounted twice", error, StringComparison.Ordinal);
    }
}
