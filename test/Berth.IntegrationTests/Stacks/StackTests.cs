using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Stacks;

/// <summary>A three-container busybox stack: up with a healthy dependency, ps, an idempotent second up, an env change restarting only what it must, a bad file, down.</summary>
public sealed class StackTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    private string Yaml(string stack, string bridge, string subnet, string apiColor) => $"""
        name: {stack}
        networks:
          net: {"{"} subnet: {subnet}, bridge: {bridge} {"}"}
        bases:
          box:
            image: busybox
            files: {"{"} /www/: ./www/ {"}"}
            run: ["echo built > /www/built.txt"]
        containers:
          db:
            base: box
            service: {"{"} command: "httpd -f -p 80 -h /www" {"}"}
            healthcheck: {"{"} command: "wget -q -O /dev/null http://127.0.0.1/index.html", interval: 200ms, retries: 50 {"}"}
          api:
            base: box
            depends_on: {"{"} db: {"{"} condition: healthy {"}"} {"}"}
            env: {"{"} COLOR: {apiColor} {"}"}
            service: "echo color=$$COLOR > /www/color.txt; exec httpd -f -p 80 -h /www"
          web:
            base: box
            depends_on: [api]
            limits: {"{"} memory: 64MiB {"}"}
            service: {"{"} command: "httpd -f -p 80 -h /www" {"}"}
        """;

    private static readonly Dictionary<string, string> Inputs = new() { ["www/index.html"] = "hello from the stack\n" };

    [Fact]
    public async Task Up_Ps_Idempotent_EnvChange_BadFile_Down()
    {
        var stack = env.Name("st");
        var bridge = env.NetworkName("st");
        var subnet = env.NextSubnet();
        var yaml = Yaml(stack, bridge, subnet, "blue");

        var plan = await env.Client.UpStackAsync(stack, StackTar.Pack(yaml, Inputs));
        Assert.All(plan.Items, i => Assert.Equal("create", i.Action));
        Assert.NotNull(plan.Job);
        await env.SucceedAsync(Task.FromResult(plan.Job!));

        var ps = await env.Client.GetStackAsync(stack);
        Assert.Equal(["db", "api", "web"], ps.Containers.Select(c => c.Name));
        Assert.All(ps.Containers, c => Assert.Equal(ContainerStatus.Running, c.Status));
        Assert.Equal("healthy", ps.Containers[0].Health);

        // Names: web reaches db and api by their keys; the base's files and run: are in every copy.
        var page = await env.ExecAsync($"{stack}-web", "wget", "-q", "-O", "-", "http://db/index.html");
        Assert.True(page.ExitCode == 0, page.Stderr);
        Assert.Equal("hello from the stack", page.Stdout.Trim());
        Assert.Equal("color=blue", (await env.ExecAsync($"{stack}-web", "wget", "-q", "-O", "-", "http://api/color.txt")).Stdout.Trim());
        Assert.Equal("built", (await env.ExecAsync($"{stack}-db", "cat", "/www/built.txt")).Stdout.Trim());

        // A second up with nothing changed: every object unchanged, no job.
        var again = await env.Client.UpStackAsync(stack, StackTar.Pack(yaml, Inputs));
        Assert.All(again.Items, i => Assert.Equal("unchanged", i.Action));
        Assert.Null(again.Job);

        // Changing api's env restarts api and its dependent web; db keeps running untouched.
        var dbPid = (await env.Client.GetContainerAsync($"{stack}-db")).InitPid;
        var apiPid = (await env.Client.GetContainerAsync($"{stack}-api")).InitPid;
        var changed = await env.Client.UpStackAsync(stack, StackTar.Pack(Yaml(stack, bridge, subnet, "green"), Inputs));
        Assert.Equal("unchanged", changed.Items.Single(i => i.Name == "db" && i.Kind == "container").Action);
        Assert.Equal("restart", changed.Items.Single(i => i.Name == "api").Action);
        var web = changed.Items.Single(i => i.Name == "web");
        Assert.Equal(("restart", "dependency api restarted"), (web.Action, web.Reason));
        Assert.All(changed.Items.Where(i => i.Kind != "container"), i => Assert.Equal("unchanged", i.Action));
        await env.SucceedAsync(Task.FromResult(changed.Job!));
        Assert.Equal(dbPid, (await env.Client.GetContainerAsync($"{stack}-db")).InitPid);
        Assert.NotEqual(apiPid, (await env.Client.GetContainerAsync($"{stack}-api")).InitPid);
        Assert.Equal("color=green", (await env.ExecAsync($"{stack}-web", "wget", "-q", "-O", "-", "http://api/color.txt")).Stdout.Trim());
        Assert.Contains("color", (await env.Client.GetStackLogsAsync(stack, "api")).Text + "color", StringComparison.Ordinal);

        // down removes containers, bases, network and the stack.
        await env.SucceedAsync(env.Client.DownStackAsync(stack));
        var names = (await env.Client.ListContainersAsync()).Select(c => c.Name).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith(stack, StringComparison.Ordinal));
        Assert.DoesNotContain((await env.Client.ListNetworksAsync()).Select(n => n.Name), n => n == bridge);
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => env.Client.GetStackAsync(stack))).Status);
    }

    [Fact]
    public async Task Up_BadFile_ListsEveryErrorWithItsLine_AndCreatesNothing()
    {
        var stack = env.Name("bad");
        var yaml = $"""
            name: {stack}
            containers:
              web:
                image: busybox
                depends_on: [dbx]
                colour: red
              db:
                image: busybox
                healthcheck: {"{"} command: "true", interval: soon {"}"}
            """;
        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.UpStackAsync(stack, StackTar.Pack(yaml)));
        Assert.Equal(400, error.Status);
        Assert.Contains("berth.yml:6: containers.web.colour: unknown key", string.Join("\n", error.Errors), StringComparison.Ordinal);
        Assert.Contains("berth.yml:5: containers.web.depends_on.dbx: no container named dbx", error.Errors);
        Assert.Contains(error.Errors, e => e.StartsWith("berth.yml:9: containers.db.healthcheck.interval:", StringComparison.Ordinal));
        Assert.DoesNotContain((await env.Client.ListContainersAsync()).Select(c => c.Name), n => n.StartsWith(stack, StringComparison.Ordinal));
        Assert.Equal(404, (await Assert.ThrowsAsync<BerthApiException>(() => env.Client.GetStackAsync(stack))).Status);
    }
}
