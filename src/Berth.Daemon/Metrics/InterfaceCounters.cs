namespace Berth.Daemon.Metrics;

/// <summary>Traffic of one container interface, as the container sees it (the host veth's rx is the container's tx).</summary>
public sealed record InterfaceCounters(string Name, long RxBytes, long TxBytes, long RxPackets, long TxPackets)
{
    /// <summary>Reads the host end's counters from sysfs; null when the veth is gone (the container stopped).</summary>
    public static InterfaceCounters? Read(string name, VethStatistics hostVeth)
    {
        ArgumentNullException.ThrowIfNull(hostVeth);
        var hostRx = KernelFile.ReadLong(hostVeth.RxBytes);
        var hostTx = KernelFile.ReadLong(hostVeth.TxBytes);
        if (hostRx is null || hostTx is null)
        {
            return null;
        }

        return new InterfaceCounters(name, hostTx.Value, hostRx.Value, KernelFile.ReadLong(hostVeth.TxPackets) ?? 0, KernelFile.ReadLong(hostVeth.RxPackets) ?? 0);
    }
}
