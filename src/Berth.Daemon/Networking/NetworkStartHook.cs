using Berth.Daemon.Runtime;
using Berth.Daemon.Store;

namespace Berth.Daemon.Networking;

/// <summary>Before any start (job, autostart after a reboot, restore): the container's bridge exists, with its gateway and name server.</summary>
public sealed class NetworkStartHook(ContainerStore containers, NameServer names) : IContainerStartHook
{
    public async Task BeforeStartAsync(string container, CancellationToken cancellationToken)
    {
        foreach (var nic in (await containers.GetAsync(container, cancellationToken).ConfigureAwait(false))?.Nics ?? [])
        {
            await Bridges.EnsureAsync(nic.Network, cancellationToken).ConfigureAwait(false);
            await names.UpdateAsync(nic.Network, cancellationToken).ConfigureAwait(false);
        }
    }
}
