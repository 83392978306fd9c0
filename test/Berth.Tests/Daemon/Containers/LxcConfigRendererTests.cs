using Berth.Daemon.Containers;
using Berth.Daemon.Hosting;
using Berth.Daemon.Images;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;

namespace Berth.Tests.Daemon.Containers;

public sealed class LxcConfigRendererTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StatePaths _paths;

    public LxcConfigRendererTests()
    {
        _paths = new StatePaths(new BerthOptions { StateDir = _dir.Path });
    }

    public void Dispose() => _dir.Dispose();

    private LxcConfigRenderer Renderer(CgroupVersion version = CgroupVersion.V1) =>
        new(_paths, new HostCgroups(version, swapAccounting: true), new HostIdMap(new IdMap(100000, 100000, 65536)), Pools(), Images(), IdMaps(new HostIdMap(new IdMap(100000, 100000, 65536))));

    // No user-defined image is loaded: the built-in catalog answers.
    private ImageRegistry Images() => new(new Database(_paths), TimeProvider.System);

    private Berth.Daemon.Users.IdMapRanges IdMaps(HostIdMap host) => new(new Database(_paths), host, TimeProvider.System);

    // No pool is loaded, so every container is in the default (dir) pool.
    private StoragePools Pools() => new(new StorageStore(new Database(_paths)), _paths, [new DirStorageDriver()]);

    private static ContainerRecord Container(string image = "busybox", bool privileged = false, Dictionary<string, string>? config = null) => new()
    {
        Name = "web",
        Image = image,
        Status = ContainerRecordStatus.Ready,
        Privileged = privileged,
        Config = config ?? [],
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    [Theory]
    [InlineData("SIGUSR1\nlxc.hook.pre-start = /bin/touch /tmp/x", null)]
    [InlineData(null, "debian\nlxc.hook.pre-start = /bin/touch /tmp/x")]
    public void Render_ValueWithALineBreak_Throws(string? halt, string? profile)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Renderer().Render(Container() with { HaltSignal = halt, LxcProfile = profile }));
        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ConfigValueWithALineBreak_Throws() =>
        Assert.Throws<InvalidOperationException>(() => Renderer().Render(Container(config: new() { ["limits.cpu"] = "0,\n1" })));

    [Theory]
    [InlineData("10.20.0.0/24", "10.20.0.7", "10.20.0.7/24 10.20.0.255")]
    [InlineData("10.64.0.0/10", "10.64.0.2", "10.64.0.2/10 10.127.255.255")]
    [InlineData("192.168.8.0/29", "192.168.8.3", "192.168.8.3/29 192.168.8.7")]
    public void Render_Nic_WritesTheSubnetsBroadcast(string subnet, string address, string expected)
    {
        var nic = new Berth.Daemon.Networking.ContainerNic
        {
            Network = new Berth.Daemon.Networking.NetworkRecord { Name = "br0", Subnet = subnet, Status = "ready", CreatedAt = DateTimeOffset.UnixEpoch },
            Address = address,
            HardwareAddress = "00:16:3e:00:00:01",
        };

        var lines = Lines(Renderer().Render(Container() with { Nic = nic }));

        Assert.Contains($"lxc.net.0.ipv4.address = {expected}", lines);
    }

    [Fact]
    public void Render_TwoNics_TwoInterfacesAndOnlyTheFirstHasTheGateways()
    {
        Berth.Daemon.Networking.ContainerNic Nic(int index, string name, string subnet, string subnet6, string address, string address6) => new()
        {
            Network = new Berth.Daemon.Networking.NetworkRecord { Name = name, Subnet = subnet, Subnet6 = subnet6, Status = "ready", CreatedAt = DateTimeOffset.UnixEpoch },
            Address = address,
            Address6 = address6,
            HardwareAddress = $"00:16:3e:00:00:0{index}",
            Index = index,
        };
        var pub = Nic(0, "pub", "10.30.0.0/24", "fd30::/64", "10.30.0.2", "fd30::2");
        var priv = Nic(1, "priv", "10.31.0.0/24", "fd31::/64", "10.31.0.2", "fd31::2");

        var lines = Lines(Renderer().Render(Container() with { Nic = pub, Nics = [pub, priv] }));

        Assert.Contains("lxc.net.0.name = eth0", lines);
        Assert.Contains("lxc.net.1.name = eth1", lines);
        Assert.Contains($"lxc.net.1.link = {priv.Network.Bridge}", lines);
        Assert.Contains("lxc.net.1.ipv4.address = 10.31.0.2/24 10.31.0.255", lines);
        Assert.Contains("lxc.net.1.ipv6.address = fd31::2/64", lines);
        Assert.Contains("lxc.net.0.ipv4.gateway = 10.30.0.1", lines);
        Assert.Contains("lxc.net.0.ipv6.gateway = fd30::1", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("lxc.net.1.ipv4.gateway", StringComparison.Ordinal) || l.StartsWith("lxc.net.1.ipv6.gateway", StringComparison.Ordinal));
        var pairs = lines.Where(l => l.Contains(".veth.pair", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pairs.Distinct().Count());
        Assert.DoesNotContain("lxc.net.0.type = empty", lines);
    }

    [Fact]
    public void Render_ImageUnknownHere_UsesTheProfileTheContainerKept()
    {
        var lines = Lines(Renderer().Render(Container(image: "gone/app") with { LxcProfile = "debian", HaltSignal = "SIGRTMIN+3" }));

        Assert.Contains("lxc.include = /usr/share/lxc/config/debian.common.conf", lines);
        Assert.Contains("lxc.include = /usr/share/lxc/config/debian.userns.conf", lines);
        Assert.Contains("lxc.signal.halt = SIGRTMIN+3", lines);
    }

    [Fact]
    public void Render_Volumes_BindMountEachDirectory_ReadOnlyWhereAsked()
    {
        var lines = Lines(Renderer().Render(Container(config: new() { ["volumes"] = "/srv/data:/var/lib/data,/srv/conf:/etc/app:ro" })));

        Assert.Equal(
            ["lxc.mount.entry = /srv/data var/lib/data none bind,create=dir 0 0", "lxc.mount.entry = /srv/conf etc/app none bind,create=dir,ro 0 0"],
            lines.Where(l => l.StartsWith("lxc.mount.entry", StringComparison.Ordinal)));
        Assert.DoesNotContain(Lines(Renderer().Render(Container())), l => l.StartsWith("lxc.mount.entry", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_RowWithoutProfile_FallsBackToItsImage()
    {
        var lines = Lines(Renderer().Render(Container(image: "debian/12")));

        Assert.Contains("lxc.include = /usr/share/lxc/config/debian.common.conf", lines);
    }

    [Fact]
    public void Render_Unprivileged_MapsIdsAndIdmapsRootfs()
    {
        var lines = Lines(Renderer().Render(Container()));

        Assert.Contains("lxc.idmap = u 0 100000 65536", lines);
        Assert.Contains("lxc.idmap = g 0 100000 65536", lines);
        Assert.Contains("lxc.rootfs.options = idmap=container", lines);
        Assert.Contains("lxc.include = /usr/share/lxc/config/userns.conf", lines);
    }

    [Fact]
    public void Render_Privileged_NoIdMapNoUsernsInclude()
    {
        var text = Renderer().Render(Container(privileged: true));

        Assert.DoesNotContain("lxc.idmap", text, StringComparison.Ordinal);
        Assert.DoesNotContain("idmap=container", text, StringComparison.Ordinal);
        Assert.DoesNotContain("userns", text, StringComparison.Ordinal);
        Assert.Contains("lxc.include = /usr/share/lxc/config/common.conf", Lines(text));
    }

    [Fact]
    public void Render_PrivilegedWithoutHostRange_DoesNotNeedOne()
    {
        var renderer = new LxcConfigRenderer(_paths, new HostCgroups(CgroupVersion.V1, false), new HostIdMap(null), Pools(), Images(), IdMaps(new HostIdMap(null)));

        var text = renderer.Render(Container(privileged: true));

        Assert.Contains("lxc.uts.name = web", Lines(text));
    }

    [Fact]
    public void Render_UnprivilegedWithoutHostRange_Throws()
    {
        var renderer = new LxcConfigRenderer(_paths, new HostCgroups(CgroupVersion.V1, false), new HostIdMap(null), Pools(), Images(), IdMaps(new HostIdMap(null)));

        var ex = Assert.Throws<InvalidOperationException>(() => renderer.Render(Container()));
        Assert.Contains("subuid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Busybox_HaltsWithSigusr1AndCommonInclude()
    {
        var lines = Lines(Renderer().Render(Container("busybox")));

        Assert.Contains("lxc.signal.halt = SIGUSR1", lines);
        Assert.Contains("lxc.include = /usr/share/lxc/config/common.conf", lines);
        Assert.DoesNotContain(lines, l => l.Contains("debian", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Debian12_UsesDebianIncludes()
    {
        var lines = Lines(Renderer().Render(Container("debian/12")));

        Assert.Contains("lxc.include = /usr/share/lxc/config/debian.common.conf", lines);
        Assert.Contains("lxc.include = /usr/share/lxc/config/debian.userns.conf", lines);
        Assert.DoesNotContain("lxc.include = /usr/share/lxc/config/common.conf", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("lxc.signal.halt", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Always_NamesRootfsLogAndHostname()
    {
        var lines = Lines(Renderer().Render(Container()));

        Assert.Contains("lxc.uts.name = web", lines);
        Assert.Contains($"lxc.rootfs.path = dir:{Path.Combine(_paths.LxcPath, "web", "rootfs")}", lines);
        Assert.Contains($"lxc.log.file = {_paths.ContainerLog("web")}", lines);
        Assert.StartsWith("#", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LimitsOnV1_UsesLxcCgroupKeys()
    {
        var config = new Dictionary<string, string> { [ContainerConfig.LimitsMemory] = "256MiB", [ContainerConfig.LimitsProcesses] = "50" };

        var text = Renderer(CgroupVersion.V1).Render(Container(config: config));
        var lines = Lines(text);

        Assert.Contains("lxc.cgroup.memory.limit_in_bytes = 268435456", lines);
        Assert.Contains("lxc.cgroup.pids.max = 50", lines);
        Assert.DoesNotContain("lxc.cgroup2.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LimitsOnV2_UsesLxcCgroup2Keys()
    {
        var config = new Dictionary<string, string> { [ContainerConfig.LimitsMemory] = "256MiB", [ContainerConfig.LimitsCpuWeight] = "50" };

        var text = Renderer(CgroupVersion.V2).Render(Container(config: config));
        var lines = Lines(text);

        Assert.Contains("lxc.cgroup2.memory.max = 268435456", lines);
        Assert.Contains("lxc.cgroup2.cpu.weight = 50", lines);
        Assert.DoesNotContain("lxc.cgroup.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoLimits_NoCgroupLines()
    {
        var text = Renderer().Render(Container());

        Assert.DoesNotContain("lxc.cgroup", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FirstThenUnchanged_TrueThenFalse()
    {
        Directory.CreateDirectory(_paths.ContainerDir("web"));
        var renderer = Renderer();
        var container = Container();

        Assert.True(renderer.Write(container));
        Assert.Equal(renderer.Render(container), File.ReadAllText(_paths.ContainerConfig("web")));
        Assert.False(renderer.Write(container));
        Assert.False(File.Exists(_paths.ContainerConfig("web") + ".tmp"));
    }

    [Fact]
    public void Write_HandEdited_RewritesAndReturnsTrue()
    {
        Directory.CreateDirectory(_paths.ContainerDir("web"));
        var renderer = Renderer();
        var container = Container();
        renderer.Write(container);
        File.AppendAllText(_paths.ContainerConfig("web"), "lxc.apparmor.profile = unconfined\n");

        Assert.True(renderer.Write(container));
        Assert.Equal(renderer.Render(container), File.ReadAllText(_paths.ContainerConfig("web")));
    }

    [Fact]
    public void Write_ConfigChanged_ReturnsTrue()
    {
        Directory.CreateDirectory(_paths.ContainerDir("web"));
        var renderer = Renderer();
        renderer.Write(Container());

        var changed = renderer.Write(Container(config: new() { [ContainerConfig.LimitsMemory] = "1GiB" }));

        Assert.True(changed);
        Assert.Contains("lxc.cgroup.memory.limit_in_bytes = 1073741824", File.ReadAllText(_paths.ContainerConfig("web")), StringComparison.Ordinal);
    }
}
