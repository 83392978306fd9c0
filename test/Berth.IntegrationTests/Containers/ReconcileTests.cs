using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>What LXC really shows wins over what the store remembers; nothing is resurrected, nothing foreign touched.</summary>
public sealed class ReconcileTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task StoppedOutsideBerth_ShowsRealState_AndIsReported()
    {
        var name = env.Name("outside");
        await env.LaunchAsync(name);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await Host.RunCheckedAsync("lxc-stop", "-k", "-n", name, "-P", env.LxcPath);

        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);
        var evt = await FirstEventAsync(e => e.Target == name && e.Action == "container.state-changed", cts.Token);
        Assert.Contains("stopped", evt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FrozenThawedAndStoppedOutsideBerth_TheListShowsEach_AfterItKnewTheRunningInit()
    {
        var name = env.Name("outfrz");
        await env.LaunchAsync(name);
        ContainerInfo Listed(IReadOnlyList<ContainerInfo> all) => Assert.Single(all, c => c.Name == name);
        var running = Listed(await env.Client.ListContainersAsync());
        Assert.Equal(ContainerStatus.Running, running.Status);

        // The list now knows the init; what happens to the container outside Berth still shows.
        await Host.RunCheckedAsync("lxc-freeze", "-n", name, "-P", env.LxcPath);
        Assert.Equal(ContainerStatus.Frozen, Listed(await env.Client.ListContainersAsync()).Status);
        await Host.RunCheckedAsync("lxc-unfreeze", "-n", name, "-P", env.LxcPath);
        var thawed = Listed(await env.Client.ListContainersAsync());
        Assert.Equal((ContainerStatus.Running, running.InitPid), (thawed.Status, thawed.InitPid));
        await Host.RunCheckedAsync("lxc-stop", "-k", "-n", name, "-P", env.LxcPath);
        var stopped = Listed(await env.Client.ListContainersAsync());
        Assert.Equal((ContainerStatus.Stopped, (int?)null), (stopped.Status, stopped.InitPid));

        // Started again by Berth: a new init, running.
        await env.ChangeStateAsync(name, "start");
        var again = Listed(await env.Client.ListContainersAsync());
        Assert.Equal(ContainerStatus.Running, again.Status);
        Assert.NotEqual(running.InitPid, again.InitPid);
    }

    [Fact]
    public async Task DeletedByHand_IsReportedMissing_NotResurrected()
    {
        var name = env.Name("byhand");
        await env.LaunchAsync(name);
        await Host.RunCheckedAsync("lxc-stop", "-k", "-n", name, "-P", env.LxcPath);
        await Host.RunCheckedAsync("rm", "-rf", Path.Combine(env.LxcPath, name));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await FirstEventAsync(e => e.Target == name && e.Action == "container.missing", cts.Token);
        await Task.Delay(2500); // more reconcile passes
        Assert.Equal(ContainerStatus.Missing, (await env.Client.GetContainerAsync(name)).Status);
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, name)), "a missing container must not be recreated");

        // The user can clear the record.
        await env.SucceedAsync(env.Client.DeleteAsync(name));
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);
    }

    [Fact]
    public async Task CreatedByHandInLxcPath_IsListedUnmanaged_AndLeftAlone()
    {
        var name = env.Name("foreign");
        await Host.RunCheckedAsync("lxc-create", "-t", "busybox", "-n", name, "-P", env.LxcPath);
        var config = await File.ReadAllTextAsync(Path.Combine(env.LxcPath, name, "config"));

        var listed = (await env.Client.ListContainersAsync()).Single(c => c.Name == name);
        Assert.False(listed.Managed);
        Assert.Equal(ContainerStatus.Stopped, listed.Status);

        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DeleteAsync(name, force: true));
        Assert.Equal(409, refused.Status);
        var refusedStart = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ChangeStateAsync(name, new StateChangeRequest { Action = "start" }));
        Assert.Equal(409, refusedStart.Status);

        await Task.Delay(2500); // reconcile passes
        Assert.Equal(config, await File.ReadAllTextAsync(Path.Combine(env.LxcPath, name, "config")));
        Assert.True(File.Exists(Path.Combine(env.LxcPath, name, "rootfs/bin/busybox")));
    }

    [Fact]
    public async Task HandEditedLxcConfig_IsRewrittenFromTheStore()
    {
        var name = env.Name("drift");
        await env.LaunchAsync(name, start: false, config: new Dictionary<string, string> { ["limits.memory"] = "64MiB" });
        var path = Path.Combine(env.LxcPath, name, "config");
        var rendered = await File.ReadAllTextAsync(path);

        await File.WriteAllTextAsync(path, rendered.Replace("67108864", "999999999", StringComparison.Ordinal));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await FirstEventAsync(e => e.Target == name && e.Action == "container.config-repaired", cts.Token);
        Assert.Equal(rendered, await File.ReadAllTextAsync(path));
    }

    /// <summary>Replays the daemon's recent events and follows live ones; names are unique to this run, so the first match is ours.</summary>
    private async Task<BerthEvent> FirstEventAsync(Func<BerthEvent, bool> match, CancellationToken ct)
    {
        await foreach (var e in env.Client.StreamEventsAsync(0, ct))
        {
            if (match(e))
            {
                return e;
            }
        }

        throw new TimeoutException("no matching event");
    }
}
