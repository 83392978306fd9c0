using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Security;

/// <summary>
/// One container whose LXC configuration liblxc cannot load (its store row names a profile this host lacks, as a
/// crafted import once could) must not take the daemon down: list, info and reconcile go on, delete --force removes it.
/// </summary>
public sealed class UnreadableContainerTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task ContainerLxcCannotLoad_IsListedAsError_OthersStillReconciled_AndForceDeleteRemovesIt()
    {
        var broken = env.Name("broken");
        var drift = env.Name("drift");
        await env.LaunchAsync(broken, start: false);
        await env.LaunchAsync(drift, start: false);

        // A row no import can write any more; and a hand edit on the other container for the reconciler to repair.
        await Host.RunCheckedAsync("sqlite3", Path.Combine(env.StateDir, "berth.db"), $".timeout 5000", $"UPDATE containers SET lxc_profile = 'nonexistent' WHERE name = '{broken}'");
        var brokenConfig = Path.Combine(env.LxcPath, broken, "config");
        await File.WriteAllTextAsync(brokenConfig, "lxc.include = /nonexistent/x.conf\n" + await File.ReadAllTextAsync(brokenConfig));
        var driftConfig = Path.Combine(env.LxcPath, drift, "config");
        await File.AppendAllTextAsync(driftConfig, "lxc.tty.max = 9\n");

        // A restart opens every container afresh, as after a reboot.
        await env.Daemon.StopAsync();
        await env.StartDaemonAsync();

        var listed = await env.Client.ListContainersAsync();
        var bad = listed.Single(c => c.Name == broken);
        Assert.Equal(ContainerStatus.Error, bad.Status);
        Assert.Contains("does not exist", bad.Error, StringComparison.Ordinal);
        Assert.Equal(ContainerStatus.Stopped, listed.Single(c => c.Name == drift).Status);
        Assert.Equal(ContainerStatus.Error, (await env.Client.GetContainerAsync(broken)).Status);

        var cli = await CliRunner.RunAsync(env.StateDir, "list");
        Assert.Equal(0, cli.ExitCode);
        Assert.Contains("error", cli.Stdout.Split('\n').Single(l => l.StartsWith(broken, StringComparison.Ordinal)), StringComparison.Ordinal);

        // The reconciler keeps running past it: the other container's hand edit is repaired.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await File.ReadAllTextAsync(driftConfig, cts.Token)).Contains("lxc.tty.max = 9", StringComparison.Ordinal))
        {
            await Task.Delay(200, cts.Token);
        }

        Assert.Equal(ContainerStatus.Error, (await env.Client.GetContainerAsync(broken)).Status);
        var refused = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.DeleteAsync(broken));
        Assert.Equal(409, refused.Status);
        Assert.Contains("force", refused.Message, StringComparison.Ordinal);

        await env.SucceedAsync(env.Client.DeleteAsync(broken, force: true));
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == broken);
        Assert.False(Directory.Exists(Path.Combine(env.LxcPath, broken)));
        Assert.False(env.Daemon.HasExited);
    }
}
