using System.Globalization;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Health;

/// <summary>
/// Health commands and restart policies on real busybox containers: a check that fails once a marker file exists, an init
/// killed from the host, and a user's stop that must stay a stop. The marker lives in /dev, a tmpfs LXC makes afresh at
/// every start, so a restart clears it.
/// </summary>
public sealed class HealthTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    private const string Marker = "/dev/berth-bad";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static Dictionary<string, string> Checked(string policy) => new()
    {
        ["health.command"] = $"test ! -e {Marker}",
        ["health.interval"] = "1s",
        ["health.retries"] = "2",
        ["restart.policy"] = policy,
    };

    [Fact]
    public async Task FailingHealthCommand_TurnsUnhealthy_ShownInListEventsAndMetrics_AndRecovers()
    {
        var name = env.Name("sick");
        await env.LaunchAsync(name, config: Checked("no"));
        await UntilAsync(name, c => c.Health == ContainerHealth.Healthy, "healthy");
        Assert.Equal(0, (await env.ExecAsync(name, "touch", Marker)).ExitCode);

        await UntilAsync(name, c => c.Health == ContainerHealth.Unhealthy, "unhealthy");
        var unhealthy = await env.RecentEventsAsync(e => e.Target == name && e.Action == "container.unhealthy");
        Assert.Contains("failed 2 times in a row", Assert.Single(unhealthy).Message, StringComparison.Ordinal);

        var list = await CliRunner.RunAsync(env.StateDir, "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("running (unhealthy)", list.Stdout.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)), StringComparison.Ordinal);
        await UntilMetricAsync("berth_container_healthy", name, "0");

        // Policy no: it keeps running unhealthy, and turns healthy once the check passes again.
        Assert.Equal(ContainerStatus.Running, (await env.Client.GetContainerAsync(name)).Status);
        Assert.Equal(0, (await env.ExecAsync(name, "rm", Marker)).ExitCode);
        await UntilAsync(name, c => c.Health == ContainerHealth.Healthy, "healthy again");
        Assert.Equal(0, (await env.Client.GetContainerAsync(name)).Restarts);
        Assert.Equal(2, (await env.RecentEventsAsync(e => e.Target == name && e.Action == "container.healthy")).Count);
        await UntilMetricAsync("berth_container_healthy", name, "1");
    }

    [Fact]
    public async Task OnFailure_UnhealthyContainer_IsRestartedAndHealthyAgain()
    {
        var name = env.Name("mend");
        await env.LaunchAsync(name, config: Checked("on-failure"));
        var before = await UntilAsync(name, c => c.Health == ContainerHealth.Healthy, "healthy");
        Assert.Equal(0, (await env.ExecAsync(name, "touch", Marker)).ExitCode);

        var after = await UntilAsync(name, c => c.Restarts == 1 && c.Health == ContainerHealth.Healthy, "restarted and healthy");
        Assert.Equal(ContainerStatus.Running, after.Status);
        Assert.NotEqual(before.InitPid, after.InitPid);
        var restarted = Assert.Single(await env.RecentEventsAsync(e => e.Target == name && e.Action == "container.restarted"));
        Assert.StartsWith("unhealthy", restarted.Message, StringComparison.Ordinal);
        Assert.Single(await env.RecentEventsAsync(e => e.Target == name && e.Action == "container.unhealthy"));
        await UntilMetricAsync("berth_container_restarts_total", name, "1");

        var info = await CliRunner.RunAsync(env.StateDir, "info", name);
        Assert.Contains("healthy, 1 restart", info.Stdout.Split('\n').Single(l => l.StartsWith("Health:", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KilledInit_IsRestartedUnderOnFailureAndAlways_NotUnderNo()
    {
        var onFailure = env.Name("kill-of");
        var always = env.Name("kill-al");
        var no = env.Name("kill-no");
        await env.LaunchAsync(onFailure, config: new Dictionary<string, string> { ["restart.policy"] = "on-failure" });
        await env.LaunchAsync(always, config: new Dictionary<string, string> { ["restart.policy"] = "always" });

        // A health command makes the monitor watch it, so its exit is noticed (and reported) under policy no too.
        await env.LaunchAsync(no, config: Checked("no"));
        var pids = new Dictionary<string, int>();
        foreach (var name in new[] { onFailure, always, no })
        {
            pids[name] = (await env.Client.GetContainerAsync(name)).InitPid!.Value;
            await Host.RunCheckedAsync("kill", "-9", pids[name].ToString(CultureInfo.InvariantCulture));
        }

        foreach (var name in new[] { onFailure, always })
        {
            var restarted = await UntilAsync(name, c => c.Restarts == 1 && c.Status == ContainerStatus.Running, "restarted");
            Assert.NotEqual(pids[name], restarted.InitPid);
            var evt = Assert.Single(await env.RecentEventsAsync(e => e.Target == name && e.Action == "container.restarted"));
            Assert.StartsWith("its init ended", evt.Message, StringComparison.Ordinal);
        }

        await UntilEventAsync(no, "container.exited");
        var left = await env.Client.GetContainerAsync(no);
        Assert.Equal(ContainerStatus.Stopped, left.Status);
        Assert.Equal(0, left.Restarts);
        Assert.Empty(await env.RecentEventsAsync(e => e.Target == no && e.Action == "container.restarted"));
    }

    [Fact]
    public async Task UserStop_IsNotUndone_EvenUnderAlways()
    {
        var stopped = env.Name("stop-al");
        var witness = env.Name("stop-wit");
        await env.LaunchAsync(stopped, config: Checked("always"));
        await env.LaunchAsync(witness, config: new Dictionary<string, string> { ["restart.policy"] = "always" });
        await UntilAsync(stopped, c => c.Health == ContainerHealth.Healthy, "healthy");

        var stop = await CliRunner.RunAsync(env.StateDir, "stop", stopped);
        Assert.True(stop.ExitCode == 0, stop.ToString());

        // The witness's restart proves the monitor has run passes since the stop.
        var pid = (await env.Client.GetContainerAsync(witness)).InitPid!.Value;
        await Host.RunCheckedAsync("kill", "-9", pid.ToString(CultureInfo.InvariantCulture));
        await UntilAsync(witness, c => c.Restarts == 1 && c.Status == ContainerStatus.Running, "witness restarted");

        var info = await env.Client.GetContainerAsync(stopped);
        Assert.Equal(ContainerStatus.Stopped, info.Status);
        Assert.Null(info.Health);
        Assert.Equal(0, info.Restarts);
        Assert.Empty(await env.RecentEventsAsync(e => e.Target == stopped && e.Action is "container.exited" or "container.restarted"));

        // Started again by the user, it is watched again: a crash now is restarted.
        await env.ChangeStateAsync(stopped, "start");
        var pid2 = (await env.Client.GetContainerAsync(stopped)).InitPid!.Value;
        await Host.RunCheckedAsync("kill", "-9", pid2.ToString(CultureInfo.InvariantCulture));
        await UntilAsync(stopped, c => c.Restarts == 1 && c.Health == ContainerHealth.Healthy, "restarted after the crash");
    }

    [Fact]
    public async Task HostShutdown_IsNotUndone()
    {
        var name = env.Name("shut-al");
        var witness = env.Name("shut-wit");
        await env.LaunchAsync(name, config: new Dictionary<string, string> { ["restart.policy"] = "always" });
        await env.LaunchAsync(witness, config: new Dictionary<string, string> { ["restart.policy"] = "always" }, start: false);

        await env.SucceedAsync(env.Client.ShutdownAsync());
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(name)).Status);

        // The witness's restart proves the monitor has run passes since the shutdown.
        await env.ChangeStateAsync(witness, "start");
        var pid = (await env.Client.GetContainerAsync(witness)).InitPid!.Value;
        await Host.RunCheckedAsync("kill", "-9", pid.ToString(CultureInfo.InvariantCulture));
        await UntilAsync(witness, c => c.Restarts == 1 && c.Status == ContainerStatus.Running, "witness restarted");

        var info = await env.Client.GetContainerAsync(name);
        Assert.Equal(ContainerStatus.Stopped, info.Status);
        Assert.Equal(0, info.Restarts);
        Assert.Empty(await env.RecentEventsAsync(e => e.Target == name && e.Action is "container.exited" or "container.restarted"));
    }

    [Fact]
    public async Task RestartMax_GivesUpOnceRestartsDoNotHelp()
    {
        var name = env.Name("cap");
        var config = Checked("on-failure");
        config["health.command"] = "test ! -e /root/bad"; // survives a restart: restarting does not help
        config["restart.max"] = "1";
        await env.LaunchAsync(name, config: config);
        await UntilAsync(name, c => c.Health == ContainerHealth.Healthy, "healthy");
        Assert.Equal(0, (await env.ExecAsync(name, "touch", "/root/bad")).ExitCode);

        await UntilEventAsync(name, "container.restart-gave-up");
        var info = await UntilAsync(name, c => c.Health == ContainerHealth.Unhealthy, "unhealthy");
        Assert.Equal(ContainerStatus.Running, info.Status);
        Assert.Equal(1, info.Restarts);
        Assert.Single(await env.RecentEventsAsync(e => e.Target == name && e.Action == "container.restarted"));
    }

    [Fact]
    public async Task DaemonRestart_KeepsHealthRestartsAndGivingUp_AUserStartResetsTheCount()
    {
        var name = env.Name("keep");
        var witness = env.Name("keep-wit");
        var config = Checked("on-failure");
        config["health.command"] = "test ! -e /root/bad"; // survives a restart: restarting does not help
        config["restart.max"] = "1";
        await env.LaunchAsync(name, config: config);
        await env.LaunchAsync(witness, config: new Dictionary<string, string> { ["restart.policy"] = "always" });
        await UntilAsync(name, c => c.Health == ContainerHealth.Healthy, "healthy");
        Assert.Equal(0, (await env.ExecAsync(name, "touch", "/root/bad")).ExitCode);
        await UntilEventAsync(name, "container.restart-gave-up");
        var before = await UntilAsync(name, c => c.Health == ContainerHealth.Unhealthy, "unhealthy");
        Assert.Equal(1, before.Restarts);
        Assert.StartsWith("exit status 1", before.HealthFailure, StringComparison.Ordinal);
        Assert.NotNull(before.HealthFailureAt);

        await env.Daemon.StopAsync();
        await env.StartDaemonAsync();

        // The first state the new berthd shows is the kept one, not "starting" with no restarts.
        var after = await UntilAsync(name, c => c.Health is not null, "watched again");
        Assert.Equal(ContainerHealth.Unhealthy, after.Health);
        Assert.Equal(1, after.Restarts);
        Assert.Equal(before.HealthFailure, after.HealthFailure);
        Assert.Equal(before.HealthFailureAt, after.HealthFailureAt);
        Assert.Equal(before.InitPid, after.InitPid);
        await UntilMetricAsync("berth_container_restarts_total", name, "1");
        var info = await CliRunner.RunAsync(env.StateDir, "info", name);
        Assert.Contains("unhealthy, 1 restart", info.Stdout.Split('\n').Single(l => l.StartsWith("Health:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("exit status 1", info.Stdout.Split('\n').Single(l => l.StartsWith("Health failed:", StringComparison.Ordinal)), StringComparison.Ordinal);

        // Having given up is kept too: the witness's restart proves passes ran, and none restarted the container.
        var pid = (await env.Client.GetContainerAsync(witness)).InitPid!.Value;
        await Host.RunCheckedAsync("kill", "-9", pid.ToString(CultureInfo.InvariantCulture));
        await UntilAsync(witness, c => c.Restarts == 1 && c.Status == ContainerStatus.Running, "witness restarted");
        var still = await env.Client.GetContainerAsync(name);
        Assert.Equal(before.InitPid, still.InitPid);
        Assert.Equal(1, still.Restarts);
        Assert.Empty(await env.RecentEventsAsync(e => e.Target == name && e.Action == "container.restarted"));

        // A user's restart is a fresh start, as in Docker: the count starts again at 0.
        Assert.Equal(0, (await env.ExecAsync(name, "rm", "/root/bad")).ExitCode);
        await env.ChangeStateAsync(name, "restart");
        await UntilAsync(name, c => c.Restarts == 0 && c.Health == ContainerHealth.Healthy, "healthy with no restarts");
    }

    [Fact]
    public async Task DaemonRestart_DuringABackoff_TheRestartStillHappens_AndTheStreakGoesOn()
    {
        var name = env.Name("backoff");
        await env.LaunchAsync(name, config: new Dictionary<string, string> { ["restart.policy"] = "always" });

        // Five crashes in a row: the sixth waits 32 s, long enough to restart berthd inside it.
        for (var i = 1; i <= 6; i++)
        {
            var pid = (await env.Client.GetContainerAsync(name)).InitPid!.Value;
            await Host.RunCheckedAsync("kill", "-9", pid.ToString(CultureInfo.InvariantCulture));
            if (i < 6)
            {
                await UntilAsync(name, c => c.Restarts == i && c.Status == ContainerStatus.Running && c.InitPid != pid, $"restarted {i} times");
            }
        }

        await UntilAsync(name, c => c.Status == ContainerStatus.Stopped && c.Health == ContainerHealth.Restarting, "waiting out its backoff");
        await env.Daemon.StopAsync();
        var lxc = await Host.RunCheckedAsync("lxc-info", "-n", name, "-P", env.LxcPath, "-s");
        Assert.True(lxc.Contains("STOPPED", StringComparison.Ordinal), $"berthd restarted it before it stopped: {lxc}");
        await env.StartDaemonAsync();

        // Without what was kept, a container found stopped is left stopped.
        var after = await UntilAsync(name, c => c.Restarts == 6 && c.Status == ContainerStatus.Running, "restarted by the new berthd");
        Assert.NotNull(after.InitPid);
        var restarted = await env.RecentEventsAsync(e => e.Target == name && e.Action == "container.restarted");
        Assert.Equal("its init ended; restart 6 in a row", Assert.Single(restarted).Message);
    }

    [Theory]
    [InlineData("restart.policy=sometimes", "must be no, on-failure or always")]
    [InlineData("health.interval=10", "not a period")]
    [InlineData("health.interval=0s", "must be from 1s to 24h")]
    [InlineData("health.timeout=forever", "not a period")]
    [InlineData("health.retries=0", "must be a whole number from 1 to 1000")]
    [InlineData("health.start-period=-1s", "not a period")]
    [InlineData("restart.max=ten", "must be a whole number")]
    [InlineData("health.command=", "must not be empty")]
    public async Task BadValues_AreRefused_AndChangeNothing(string setting, string expected)
    {
        var name = env.Name("bad");
        if (!(await env.Client.ListContainersAsync()).Any(c => c.Name == name))
        {
            await env.LaunchAsync(name, start: false);
        }

        var cli = await CliRunner.RunAsync(env.StateDir, "config", "set", name, setting);
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Contains(expected, cli.Stderr, StringComparison.Ordinal);
        Assert.Single(cli.Stderr.Trim().Split('\n'));

        var eq = setting.IndexOf('=', StringComparison.Ordinal);
        var problem = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest
        {
            Set = new Dictionary<string, string> { [setting[..eq]] = setting[(eq + 1)..] },
        }));
        Assert.Equal(400, problem.Status);
        Assert.Contains(expected, problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(setting[..eq], (await env.Client.GetContainerAsync(name)).Config.Keys);
    }

    private async Task<ContainerInfo> UntilAsync(string name, Func<ContainerInfo, bool> done, string what)
    {
        using var patience = new CancellationTokenSource(Patience);
        ContainerInfo info;
        while (!done(info = await env.Client.GetContainerAsync(name)))
        {
            Assert.False(patience.IsCancellationRequested, $"{name} did not become {what}: status {info.Status}, health {info.Health}, restarts {info.Restarts}\n--- berthd log ---\n{env.Daemon.Log}");
            await Task.Delay(250);
        }

        return info;
    }

    private async Task UntilEventAsync(string name, string action)
    {
        using var patience = new CancellationTokenSource(Patience);
        while ((await env.RecentEventsAsync(e => e.Target == name && e.Action == action)).Count == 0)
        {
            Assert.False(patience.IsCancellationRequested, $"no {action} event for {name}\n--- berthd log ---\n{env.Daemon.Log}");
        }
    }

    private async Task UntilMetricAsync(string family, string name, string value)
    {
        using var patience = new CancellationTokenSource(Patience);
        var series = $"{family}{{container=\"{name}\",owner=\"\"}} {value}";
        string text;
        while (!(text = await env.Client.GetPrometheusMetricsAsync()).Split('\n').Contains(series))
        {
            Assert.False(patience.IsCancellationRequested, $"no '{series}' in:\n{text}");
            await Task.Delay(500);
        }
    }
}
