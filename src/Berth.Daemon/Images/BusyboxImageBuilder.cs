using Berth.Daemon.Processes;

namespace Berth.Daemon.Images;

/// <summary>Builds the busybox image from the host's static busybox with LXC's own busybox template; no network needed.</summary>
public static class BusyboxImageBuilder
{
    private const string Template = "/usr/share/lxc/templates/lxc-busybox";

    public static async Task BuildAsync(string rootfs, CancellationToken cancellationToken)
    {
        var work = Path.GetDirectoryName(rootfs)!;
        await CommandRunner.RunAsync(Template, ["--path", work, "--name", "busybox", "--rootfs", rootfs], cancellationToken).ConfigureAwait(false);
        File.Delete(Path.Combine(work, "config"));

        // The template's rcS asks for a DHCP lease; Berth writes addresses itself, so boot without it.
        var rcs = Path.Combine(rootfs, "etc", "init.d", "rcS");
        var lines = (await File.ReadAllLinesAsync(rcs, cancellationToken).ConfigureAwait(false)).Where(l => !l.Contains("udhcpc", StringComparison.Ordinal));
        await File.WriteAllLinesAsync(rcs, lines, cancellationToken).ConfigureAwait(false);
    }
}
