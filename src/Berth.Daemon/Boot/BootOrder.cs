using Berth.Daemon.Containers;
using Berth.Daemon.Store;

namespace Berth.Daemon.Boot;

/// <summary>The order containers start in at host boot (and stop in, reversed, at shutdown).</summary>
public static class BootOrder
{
    public static IReadOnlyList<ContainerRecord> Autostart(IEnumerable<ContainerRecord> containers) =>
        [.. containers
            .Where(c => c.Status == ContainerRecordStatus.Ready && ContainerConfig.IsTrue(c.Config, ContainerConfig.BootAutostart))
            .OrderBy(c => ContainerConfig.IntOrDefault(c.Config, ContainerConfig.BootAutostartOrder))
            .ThenBy(c => c.Name, StringComparer.Ordinal)];
}
