using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>After a host boot the daemon starts autostart containers by order with delays; shutdown stops them in reverse.</summary>
public sealed class BootOrderTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task HostBoot_StartsAutostartContainersInOrder_ShutdownStopsThemInReverse()
    {
        var first = env.Name("boot-a");
        var second = env.Name("boot-b");
        var manual = env.Name("boot-manual");
        await env.LaunchAsync(second, config: Autostart(order: 2, delay: 0));
        await env.LaunchAsync(first, config: Autostart(order: 1, delay: 2));
        await env.LaunchAsync(manual);

        // Simulate a host reboot: the daemon goes away, the containers are gone, the boot id changes.
        await env.Daemon.StopAsync();
        foreach (var name in new[] { first, second, manual })
        {
            await Host.RunCheckedAsync("lxc-stop", "-k", "-n", name, "-P", env.LxcPath);
        }

        await File.WriteAllTextAsync(Path.Combine(env.StateDir, "boot_id"), "00000000-0000-0000-0000-000000000000");
        await env.StartDaemonAsync();

        var autostart = (await env.Client.ListJobsAsync(20)).Single(j => j.Kind == "host.autostart");
        autostart = await env.Client.WaitForJobAsync(autostart);
        Assert.Equal(JobStatus.Succeeded, autostart.Status);

        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(first)).Status);
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(second)).Status);
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(manual)).Status);

        var started = await env.RecentEventsAsync(e => e.JobId == autostart.Id && e.Action == "container.started");
        Assert.Equal([first, second], started.Select(e => e.Target));

        // boot.autostart.delay=2 on the first: the second started at least that much later.
        Assert.True(started[1].Time - started[0].Time >= TimeSpan.FromSeconds(1.9), $"second started {started[1].Time - started[0].Time} after the first");

        // A plain daemon restart is not a boot: nothing is started again.
        await env.ChangeStateAsync(second, "stop", force: true);
        await env.Daemon.StopAsync();
        await env.StartDaemonAsync();
        Assert.DoesNotContain(await env.Client.ListJobsAsync(50), j => j.Kind == "host.autostart" && j.Id != autostart.Id);
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(second)).Status);

        await env.ChangeStateAsync(second, "start");
        await env.ChangeStateAsync(manual, "start");
        var shutdown = await env.SucceedAsync(env.Client.ShutdownAsync());
        var stopped = await env.RecentEventsAsync(e => e.JobId == shutdown.Id && e.Action == "container.stopped");
        Assert.Equal([manual, second, first], stopped.Select(e => e.Target));
        foreach (var name in new[] { first, second, manual })
        {
            Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);
        }
    }

    private static Dictionary<string, string> Autostart(int order, int delay) => new()
    {
        ["boot.autostart"] = "true",
        ["boot.autostart.order"] = order.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["boot.autostart.delay"] = delay.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
