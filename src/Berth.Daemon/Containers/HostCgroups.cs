namespace Berth.Daemon.Containers;

/// <summary>What the host's cgroups offer, read once at start.</summary>
public sealed class HostCgroups
{
    public HostCgroups()
        : this(File.Exists("/sys/fs/cgroup/cgroup.controllers") ? CgroupVersion.V2 : CgroupVersion.V1,
               File.Exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"))
    {
    }

    public HostCgroups(CgroupVersion version, bool swapAccounting)
    {
        Version = version;
        SwapAccounting = version == CgroupVersion.V2 || swapAccounting;
    }

    public CgroupVersion Version { get; }

    /// <summary>Whether memory+swap can be limited (v1 needs memsw accounting enabled in the kernel).</summary>
    public bool SwapAccounting { get; }
}
