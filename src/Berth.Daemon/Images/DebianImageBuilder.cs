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

    /// <summary>
    /// Builds an image that adds <paramref name="packages"/> to a cached plain Debian image: a copy of its tree (reflinked
    /// where the filesystem can) gets them with apt, which takes seconds where a new debootstrap takes minutes.
    /// </summary>
    public static async Task DeriveAsync(ImageDefinition baseImage, string baseRootfs, IReadOnlyList<string> packages, string rootfs, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseImage);
        ArgumentNullException.ThrowIfNull(packages);
        ArgumentNullException.ThrowIfNull(progress);
        progress.Report($"copying {baseImage.Alias}");
        await CommandRunner.RunAsync("cp", ["-a", "--reflink=auto", "--", baseRootfs, rootfs], cancellationToken).ConfigureAwait(false);
        if (packages.Count == 0)
        {
            return;
        }

        string P(string relative) => Path.Combine(rootfs, relative);

        // Services must not start inside the build, and apt resolves the mirror through the host's resolver.
        var policy = P("usr/sbin/policy-rc.d");
        await File.WriteAllTextAsync(policy, "#!/bin/sh\nexit 101\n", cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(policy, (UnixFileMode)0b111_101_101);
        var resolv = P("etc/resolv.conf");
        var resolvLink = new FileInfo(resolv).LinkTarget;
        var resolvText = resolvLink is null && File.Exists(resolv) ? await File.ReadAllTextAsync(resolv, cancellationToken).ConfigureAwait(false) : null;
        File.Delete(resolv);
        File.Copy("/etc/resolv.conf", resolv);
        try
        {
            progress.Report($"apt-get install {string.Join(" ", packages)}");
            await InChrootAsync(rootfs, ["apt-get", "-q", "update"], _ => { }, cancellationToken).ConfigureAwait(false);
            var lastStage = "";
            await InChrootAsync(rootfs, ["apt-get", "-q", "-y", "--no-install-recommends", "install", "--", .. packages], line =>
            {
                // "Unpacking X", "Setting up X": report each stage once, not each package.
                var stage = line.StartsWith("Unpacking ", StringComparison.Ordinal) ? "unpacking" : line.StartsWith("Setting up ", StringComparison.Ordinal) ? "setting up" : null;
                if (stage is not null && stage != lastStage)
                {
                    lastStage = stage;
                    progress.Report($"apt-get: {stage} packages");
                }
            }, cancellationToken).ConfigureAwait(false);
            await InChrootAsync(rootfs, ["apt-get", "clean"], _ => { }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(policy);
            File.Delete(resolv);
            if (resolvLink is not null)
            {
                File.CreateSymbolicLink(resolv, resolvLink);
            }
            else if (resolvText is not null)
            {
                await File.WriteAllTextAsync(resolv, resolvText, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Runs a command chrooted into <paramref name="rootfs"/> with its own /proc in a private mount and PID namespace:
    /// nothing stays mounted afterwards, and killing the unshare (a recovery after a crash) takes every process along.
    /// </summary>
    private static Task InChrootAsync(string rootfs, IReadOnlyList<string> command, Action<string> onLine, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(
            "unshare",
            ["--mount", "--pid", "--fork", "--kill-child", $"--mount-proc={Path.Combine(rootfs, "proc")}", "chroot", rootfs,
             "/usr/bin/env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive", "LC_ALL=C.UTF-8", .. command],
            cancellationToken,
            onLine);

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
