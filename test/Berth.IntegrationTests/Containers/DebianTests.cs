using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>A Debian 12 image built once with debootstrap boots systemd in an unprivileged container; the second launch reuses the cache.</summary>
public sealed class DebianTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task LaunchDebian_BootsSystemdUnprivileged_AndReusesTheCachedImage()
    {
        var first = env.Name("deb1");
        var second = env.Name("deb2");
        await env.LaunchAsync(first, "debian/12");
        var images = await env.Client.ListImagesAsync();
        Assert.Contains(images, i => i.Alias == "debian/12" && i.Cached && i.SizeBytes > 50_000_000);

        var info = await env.Client.GetContainerAsync(first);
        Assert.Equal(ContainerStatus.Running, info.Status);
        Assert.NotEqual(0, info.HostRootUid);
        var (code, comm, _) = await env.ExecAsync(first, "cat", "/proc/1/comm");
        Assert.Equal(0, code);
        Assert.Equal("systemd", comm.Trim());
        var hostname = await env.ExecAsync(first, "hostname");
        Assert.Equal(first, hostname.Stdout.Trim());

        // systemd reaches a steady state (running, or degraded when some unit needs hardware).
        string state = "";
        for (var i = 0; i < 60 && state is not ("running" or "degraded"); i++)
        {
            state = (await env.ExecAsync(first, "systemctl", "is-system-running")).Stdout.Trim();
            await Task.Delay(500);
        }

        Assert.True(state is "running" or "degraded", $"systemd state: {state}");

        var cached = await env.LaunchAsync(second, "debian/12");
        var progress = await env.ProgressOfAsync(cached.Id);
        Assert.DoesNotContain(progress, p => p.Contains("debootstrap", StringComparison.Ordinal));

        // A graceful stop lets systemd halt (SIGRTMIN+3), well before the timeout would force it.
        await env.ChangeStateAsync(first, "stop", timeout: 60);
        Assert.Equal(ContainerStatus.Stopped, (await env.Client.GetContainerAsync(first)).Status);
    }
}
