namespace Berth.Daemon.Metrics;

/// <summary>Traffic of one container interface, as the container sees it (the host veth's rx is the container's tx).</summary>
public sealed record InterfaceCounters(string Name, long RxBytes, long TxBytes, long RxPackets, long TxPackets)
{
    /// <summary>Reads the host end's counters from sysfs; null when the veth is gone (the container stopped).</summary>
    public static InterfaceCounters? Read(string name, string hostVeth)
    {
        var dir = $"/sys/class/net/{hostVeth}/statistics/";
        var hostRx = CgroupFiles.ReadLong(dir + "rx_bytes");
        var hostTx = CgroupFiles.ReadLong(dir + "tx_bytes");
        if (hostRx is null || hostTx is null)
        {
            return null;
        }

        return new InterfaceCounters(name, hostTx.Value, hostRx.Value, CgroupFiles.ReadLong(dir + "tx_packets") ?? 0, CgroupFiles.ReadLong(dir + "rx_packets") ?? 0);
    }
}
