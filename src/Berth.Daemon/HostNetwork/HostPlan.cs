namespace Berth.Daemon.HostNetwork;

/// <summary>The steps that take the host from what it has to what the file declares, and the bridges to record once they are done.</summary>
public sealed record HostPlan(IReadOnlyList<HostStep> Steps, IReadOnlyList<HostBridgeSpec> Desired);
