using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>Busybox containers through the whole life cycle, against real LXC.</summary>
public sealed class ContainerLifecycleTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task Launch_Busybox_RunsUnprivilegedWithMappedRoot()
    {
        var name = env.Name("unpriv");
        await env.LaunchAsync(name);

        var info = await env.Client.GetContainerAsync(name);
        Assert.Equal(ContainerStatus.Running, info.Status);
        Assert.NotNull(info.InitPid);
        Assert.Equal("busybox", info.Image);
        Assert.False(info.Privileged);

        // The init process's owner as the host sees it: the first id of root's subordinate range, never 0.
        var hostUid = (await File.ReadAllLinesAsync($"/proc/{info.InitPid}/status")).Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1];
        Assert.NotEqual("0", hostUid);
        Assert.Equal(hostUid, info.HostRootUid?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var (code, stdout, _) = await env.ExecAsync(name, "id", "-u");
        Assert.Equal(0, code);
        Assert.Equal("0", stdout.Trim());

        Assert.Contains(await env.Client.ListContainersAsync(), c => c.Name == name && c.Status == ContainerStatus.Running && c.Managed);
        Assert.True(Directory.Exists(Path.Combine(env.LxcPath, name, "rootfs")), "the container lives in Berth's own lxcpath");
        Assert.False(Directory.Exists(Path.Combine("/var/lib/lxc", name)));
    }

    [Fact]
    public async Task Launch_Privileged_RunsAsHostRoot()
    {
        var name = env.Name("priv");
        await env.LaunchAsync(name, config: new Dictionary<string, string> { ["security.privileged"] = "true" });

        var info = await env.Client.GetContainerAsync(name);
        Assert.True(info.Privileged);
        Assert.Equal(0, info.HostRootUid);
    }

    [Fact]
    public async Task StopStartRestartFreezeUnfreeze_ChangeTheRealState()
    {
        var name = env.Name("cycle");
        await env.LaunchAsync(name);
        var firstPid = (await env.Client.GetContainerAsync(name)).InitPid;

        await env.ChangeStateAsync(name, "stop");
        Assert.Equal("STOPPED", await LxcStateAsync(name));
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);

        await env.ChangeStateAsync(name, "start");
        Assert.Equal("RUNNING", await LxcStateAsync(name));

        var beforeRestart = (await env.Client.GetContainerAsync(name)).InitPid;
        await env.ChangeStateAsync(name, "restart", force: true);
        var afterRestart = await env.Client.GetContainerAsync(name);
        Assert.Equal(ContainerStatus.Running, afterRestart.Status);
        Assert.NotEqual(beforeRestart, afterRestart.InitPid);
        Assert.NotEqual(firstPid, afterRestart.InitPid);

        await env.ChangeStateAsync(name, "freeze");
        Assert.Equal("FROZEN", await LxcStateAsync(name));
        Assert.Equal(ContainerStatus.Frozen, (await env.Client.GetContainerAsync(name)).Status);

        await env.ChangeStateAsync(name, "unfreeze");
        Assert.Equal("RUNNING", await LxcStateAsync(name));
    }

    [Fact]
    public async Task Stop_Force_KillsAtOnce()
    {
        var name = env.Name("kill");
        await env.LaunchAsync(name);
        var job = await env.ChangeStateAsync(name, "stop", force: true);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("STOPPED", await LxcStateAsync(name));
    }

    [Fact]
    public async Task Delete_Running_RefusedUnlessForced()
    {
        var name = env.Name("del");
        await env.LaunchAsync(name);

        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DeleteAsync(name));
        Assert.Equal(409, refused.Status);
        Assert.Equal("RUNNING", await LxcStateAsync(name));

        await env.SucceedAsync(env.Client.DeleteAsync(name, force: true));
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, name)));
        var gone = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.GetContainerAsync(name));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Delete_Stopped_RemovesEverything()
    {
        var name = env.Name("delstop");
        await env.LaunchAsync(name, start: false);
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);

        await env.SucceedAsync(env.Client.DeleteAsync(name));
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, name)));
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == name);
    }

    [Fact]
    public async Task Start_Running_IsRefusedWithConflictAndChangesNothing()
    {
        var name = env.Name("twice");
        await env.LaunchAsync(name);
        var pid = (await env.Client.GetContainerAsync(name)).InitPid;

        var error = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.ChangeStateAsync(name, new StateChangeRequest { Action = "start" }));
        Assert.Equal(409, error.Status);
        Assert.Contains("already running", error.Message, StringComparison.Ordinal);
        Assert.Equal(pid, (await env.Client.GetContainerAsync(name)).InitPid);
    }

    private async Task<string> LxcStateAsync(string name) =>
        (await Host.RunCheckedAsync("lxc-info", "-n", name, "-P", env.LxcPath, "-s", "-H")).Trim();
}
