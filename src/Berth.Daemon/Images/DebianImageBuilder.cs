using Berth.Daemon.Hosting;
using Berth.Daemon.Processes;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Images;

/// <summary>Builds a Debian root filesystem with debootstrap (minimal variant plus the recipe's packages), ready to boot under LXC.</summary>
public sealed class DebianImageBuilder(IOptions<BerthOptions> options)
{
    public async Task BuildAsync(ImageDefinition image, string rootfs, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(progress);
        var mirror = options.Value.DebianMirror ?? AptMirror.Detect();
        progress.Report($"debootstrap {image.Suite} from {mirror}");
        var lastStage = "";
        await CommandRunner.RunAsync(
            "debootstrap",
            ["--variant=minbase", $"--include={string.Join(",", image.Packages)}", image.Suite!, rootfs, mirror],
            cancellationToken,
            line =>
            {
                // debootstrap prints "I: Retrieving X", "I: Unpacking X", ...: report each stage once, not each package.
                if (line.StartsWith("I: ", StringComparison.Ordinal))
                {
                    var words = line[3..].Split(' ', 2);
                    if (words[0] != lastStage)
                    {
                        lastStage = words[0];
                        progress.Report($"debootstrap: {line[3..]}");
                    }
                }
            }).ConfigureAwait(false);

        progress.Report("configuring the image for containers");
        await ConfigureAsync(rootfs, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ConfigureAsync(string rootfs, CancellationToken cancellationToken)
    {
        string P(string relative) => Path.Combine(rootfs, relative);

        // Each container gets its own machine id at first boot.
        await File.WriteAllTextAsync(P("etc/machine-id"), "", cancellationToken).ConfigureAwait(false);
        if (File.Exists(P("var/lib/dbus/machine-id")))
        {
            File.Delete(P("var/lib/dbus/machine-id"));
        }
        await File.WriteAllTextAsync(P("etc/network/interfaces"), "auto lo\niface lo inet loopback\n\nsource /etc/network/interfaces.d/*\n", cancellationToken).ConfigureAwait(false);
        if (File.Exists(P("etc/mtab")) || new FileInfo(P("etc/mtab")).LinkTarget is not null)
        {
            File.Delete(P("etc/mtab"));
        }

        File.CreateSymbolicLink(P("etc/mtab"), "/proc/self/mounts");
        await File.WriteAllTextAsync(P("etc/apt/apt.conf.d/99berth-no-recommends"), "APT::Install-Recommends \"false\";\n", cancellationToken).ConfigureAwait(false);

        // Nothing in a container needs these; they fail or wait without hardware.
        foreach (var unit in new[] { "systemd-udevd.service", "systemd-udevd-control.socket", "systemd-udevd-kernel.socket", "systemd-modules-load.service", "sys-kernel-config.mount", "sys-kernel-debug.mount", "sys-kernel-tracing.mount", "systemd-remount-fs.service" })
        {
            var mask = P(Path.Combine("etc/systemd/system", unit));
            if (!File.Exists(mask) && new FileInfo(mask).LinkTarget is null)
            {
                File.CreateSymbolicLink(mask, "/dev/null");
            }
        }

        await CommandRunner.RunAsync("chroot", [rootfs, "apt-get", "clean"], cancellationToken).ConfigureAwait(false);
    }
}
