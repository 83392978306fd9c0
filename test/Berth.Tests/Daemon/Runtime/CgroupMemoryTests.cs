using Berth.Daemon.Containers;
using Berth.Daemon.Runtime;

namespace Berth.Tests.Daemon.Runtime;

public sealed class CgroupMemoryTests
{
    [Fact]
    public void ContainerCgroup_V1BusyboxInit_IsThePayloadCgroup()
    {
        string[] lines = ["12:pids:/lxc.payload.web", "5:memory:/lxc.payload.web", "1:name=systemd:/lxc.payload.web"];

        Assert.Equal("/lxc.payload.web", CgroupMemory.ContainerCgroup(CgroupVersion.V1, lines));
    }

    [Fact]
    public void ContainerCgroup_InitInAChildCgroup_IsCutToThePayload()
    {
        // systemd inside moves itself to init.scope; the container's usage is its payload cgroup's.
        string[] lines = ["7:cpu,cpuacct:/lxc.payload.web/init.scope", "4:memory:/lxc.payload.web/init.scope"];

        Assert.Equal("/lxc.payload.web", CgroupMemory.ContainerCgroup(CgroupVersion.V1, lines));
    }

    [Fact]
    public void ContainerCgroup_V2_ReadsTheUnifiedLine()
    {
        string[] lines = ["0::/lxc.payload.web/init.scope"];

        Assert.Equal("/lxc.payload.web", CgroupMemory.ContainerCgroup(CgroupVersion.V2, lines));
    }

    [Fact]
    public void ContainerCgroup_NoMemoryController_IsNull()
    {
        string[] lines = ["12:pids:/lxc.payload.web"];

        Assert.Null(CgroupMemory.ContainerCgroup(CgroupVersion.V1, lines));
    }
}
