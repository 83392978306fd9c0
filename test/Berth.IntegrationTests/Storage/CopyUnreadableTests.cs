using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>A container LXC cannot load (status error) is not copied: its copy would be as broken, and nothing is made.</summary>
public sealed class CopyUnreadableTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task Copy_SourceInErrorStatus_Refused409WithTheWayOut_NothingCreated()
    {
        var broken = env.Name("cpbroken");
        await env.LaunchAsync(broken, start: false);
        await Host.RunCheckedAsync("sqlite3", Path.Combine(env.StateDir, "berth.db"), ".timeout 5000", $"UPDATE containers SET lxc_profile = 'nonexistent' WHERE name = '{broken}'");
        var config = Path.Combine(env.LxcPath, broken, "config");
        await File.WriteAllTextAsync(config, "lxc.include = /nonexistent/x.conf\n" + await File.ReadAllTextAsync(config));

        // A restart opens it afresh, as after a reboot.
        await env.Daemon.StopAsync();
        await env.StartDaemonAsync();
        Assert.Equal(ContainerStatus.Error, (await env.Client.GetContainerAsync(broken)).Status);

        var copy = env.Name("cpcopy");
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.CopyAsync(broken, new CopyRequest { Target = copy }));
        Assert.Equal(409, refused.Status);
        Assert.Contains("cannot be loaded by LXC", refused.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", refused.Message, StringComparison.Ordinal);
        Assert.Contains("repair", refused.Message, StringComparison.Ordinal);

        var cli = await CliRunner.RunAsync(env.StateDir, "copy", broken, copy);
        Assert.NotEqual(0, cli.ExitCode);
        Assert.Single(cli.Stderr.Trim().Split('\n'));
        Assert.Contains("cannot be loaded by LXC", cli.Stderr, StringComparison.Ordinal);

        Assert.DoesNotContain(copy, (await env.Client.ListContainersAsync()).Select(c => c.Name));
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, copy)));
        Assert.DoesNotContain(await env.Client.ListJobsAsync(), j => j.Target == copy);

        await env.SucceedAsync(env.Client.DeleteAsync(broken, force: true));
    }
}
