namespace Berth.Daemon.Metrics;

/// <summary>The sysfs counter files of one host veth, named once per container interface rather than once per reading.</summary>
public sealed class VethStatistics(string hostVeth)
{
    public string RxBytes { get; } = $"/sys/class/net/{hostVeth}/statistics/rx_bytes";
    public string TxBytes { get; } = $"/sys/class/net/{hostVeth}/statistics/tx_bytes";
    public string RxPackets { get; } = $"/sys/class/net/{hostVeth}/statistics/rx_packets";
    public string TxPackets { get; } = $"/sys/class/net/{hostVeth}/statistics/tx_packets";
}
