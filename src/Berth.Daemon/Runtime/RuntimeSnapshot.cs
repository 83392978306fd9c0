using Berth.Contracts;

namespace Berth.Daemon.Runtime;

/// <summary>What LXC and /proc show of a container right now.</summary>
/// <param name="Error">Why the status is <see cref="ContainerStatus.Error"/>.</param>
public sealed record RuntimeSnapshot(ContainerStatus Status, int? InitPid, IReadOnlyList<string> Addresses, long? MemoryBytes, double? CpuSeconds, long? HostRootUid, string? Error = null);
