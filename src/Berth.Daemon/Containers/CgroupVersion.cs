namespace Berth.Daemon.Containers;

/// <summary>Which cgroup hierarchy the host runs; limits are written with v1 or v2 keys accordingly.</summary>
public enum CgroupVersion
{
    V1,
    V2,
}
