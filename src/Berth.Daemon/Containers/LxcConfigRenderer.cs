using System.Text;
using Berth.Daemon.Hosting;
using Berth.Daemon.Images;
using Berth.Daemon.Store;

namespace Berth.Daemon.Containers;

/// <summary>
/// Renders a container's whole LXC configuration file from the store. The file is output, never input: the
/// reconciler rewrites it when it differs, so hand edits do not drift from what Berth believes.
/// </summary>
public sealed class LxcConfigRenderer(StatePaths paths, HostCgroups cgroups, HostIdMap hostIdMap, Storage.StoragePools pools, ImageRegistry images, Users.IdMapRanges idMaps)
{
    private const string Shared = LxcProfile.SharedConfig;

    public string Render(ContainerRecord container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var image = images.Find(container.Image);
        var text = new StringBuilder();
        void Line(string key, string value) => text.Append(ControlCharacters.RefuseIn(key, "an LXC configuration")).Append(" = ").Append(ControlCharacters.RefuseIn(value, "an LXC configuration")).Append('\n');

        text.Append("# Written by Berth from its store; changes made here are overwritten. Use 'berth config'.\n");
        var profile = container.LxcProfile ?? image?.LxcProfile;
        Line("lxc.include", profile is null ? $"{Shared}/common.conf" : $"{Shared}/{profile}.common.conf");
        if (!container.Privileged)
        {
            Line("lxc.include", profile is null ? $"{Shared}/userns.conf" : $"{Shared}/{profile}.userns.conf");
        }

        // lxcfs's post-stop hook (pulled in through common.conf.d) only sleeps half a second on every stop.
        Line("lxc.hook.post-stop", "");
        Line("lxc.uts.name", container.Name);
        var pool = pools.PoolOf(container.Name);
        var driver = pools.DriverOf(pool);
        Line("lxc.rootfs.path", $"dir:{driver.RootfsPath(pool, container.Name)}");
        if (!container.Privileged)
        {
            // A member's containers run in the member's own block of host ids; pools that store files shifted (overlay) know one map only.
            var map = (driver.LxcIdmapsRootfs ? idMaps.MapFor(container.Owner) : hostIdMap.Map) ?? throw new InvalidOperationException("no subordinate id range for root in /etc/subuid and /etc/subgid; run setup");
            Line("lxc.idmap", $"u 0 {map.UidBase} {map.Size}");
            Line("lxc.idmap", $"g 0 {map.GidBase} {map.Size}");

            // An idmapped rootfs: files stay owned by host root, the container sees them as its own root's.
            // (Pools whose own mounts present the tree shifted, like overlay, need none.)
            if (driver.LxcIdmapsRootfs)
            {
                Line("lxc.rootfs.options", "idmap=container");
            }
        }

        if ((container.HaltSignal ?? image?.HaltSignal) is { } halt)
        {
            Line("lxc.signal.halt", halt);
        }

        Line("lxc.tty.max", "2");
        Line("lxc.pty.max", "64");
        foreach (var nic in container.Nics)
        {
            // LXC sets the address and route inside the container before init runs: no DHCP, reachable at once.
            var subnet = nic.Network.Ipv4;
            var n = $"lxc.net.{nic.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            Line($"{n}.type", "veth");
            Line($"{n}.link", nic.Network.Bridge);
            Line($"{n}.flags", "up");
            Line($"{n}.name", $"eth{nic.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            Line($"{n}.hwaddr", nic.HardwareAddress);
            Line($"{n}.veth.pair", Networking.VethName.For(paths.ContainerDir(container.Name), nic.Index));
            // The broadcast is explicit: LXC 5.0.2 computes a wrong one (0.0.0.255 for a /24) when the line has none.
            Line($"{n}.ipv4.address", $"{nic.Address}/{subnet.PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture)} {subnet.Broadcast}");
            if (nic.Index == 0)
            {
                // Only the first interface routes beyond its subnet.
                Line($"{n}.ipv4.gateway", subnet.Gateway.ToString());
            }

            if (nic.Network.Ipv6 is { } subnet6 && nic.Address6 is { } address6)
            {
                Line($"{n}.ipv6.address", $"{address6}/{subnet6.PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                if (nic.Index == 0)
                {
                    Line($"{n}.ipv6.gateway", subnet6.Gateway.ToString());
                }
            }
        }

        if (container.Nics.Count == 0)
        {
            Line("lxc.net.0.type", "empty");
        }

        // Host directories an admin chose (the volumes key); the mount point is made in the rootfs when missing.
        if (container.Config.TryGetValue(BindMounts.Key, out var volumes) && BindMounts.TryParse(volumes, out _) is { } mounts)
        {
            foreach (var mount in mounts)
            {
                Line("lxc.mount.entry", $"{mount.Host} {mount.Path.TrimStart('/')} none bind,create=dir{(mount.ReadOnly ? ",ro" : "")} 0 0");
            }
        }

        Line("lxc.log.file", paths.ContainerLog(container.Name));
        Line("lxc.log.level", "WARN");

        var prefix = cgroups.Version == CgroupVersion.V1 ? "lxc.cgroup." : "lxc.cgroup2.";
        foreach (var (file, value) in CgroupLimits.Settings(container.Config, cgroups, includeResets: false))
        {
            Line(prefix + file, value);
        }

        return text.ToString();
    }

    /// <summary>Writes the rendered file atomically; true when it changed.</summary>
    public bool Write(ContainerRecord container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var path = paths.ContainerConfig(container.Name);
        var text = Render(container);
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            return false;
        }

        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
        return true;
    }
}
