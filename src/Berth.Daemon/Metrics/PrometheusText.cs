using System.Globalization;
using System.Text;

namespace Berth.Daemon.Metrics;

/// <summary>Renders a reading in the Prometheus text exposition format 0.0.4: each family's HELP and TYPE, then its series.</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(MetricsReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var text = new StringBuilder(256 + reading.Containers.Count * 1600);
        var cs = reading.Containers;

        Family(text, "berth_container_state", "gauge", "1 for the container's current state.", cs.Select(c => (Labels(c, ("state", c.State)), (double?)1)));
        Family(text, "berth_container_cpu_seconds_total", "counter", "CPU time the container used since it started.", cs.Select(c => (Labels(c), c.CpuSeconds)));
        Family(text, "berth_container_memory_bytes", "gauge", "Memory in use by the container's cgroup (memory.current).", cs.Select(c => (Labels(c), (double?)c.MemoryBytes)));
        Family(text, "berth_container_swap_bytes", "gauge", "Swap in use by the container's cgroup.", cs.Select(c => (Labels(c), (double?)c.SwapBytes)));
        Family(text, "berth_container_memory_limit_bytes", "gauge", "The container's memory limit; absent when it has none.", cs.Select(c => (Labels(c), (double?)c.MemoryLimitBytes)));
        Family(text, "berth_container_cpu_limit_cores", "gauge", "How many CPUs the container may use (its cpuset or CPU quota).", cs.Select(c => (Labels(c), c.CpuLimitCores)));
        Family(text, "berth_container_processes", "gauge", "Processes in the container (pids.current).", cs.Select(c => (Labels(c), (double?)c.Processes)));
        Family(text, "berth_container_process_limit", "gauge", "The container's process limit; absent when it has none.", cs.Select(c => (Labels(c), (double?)c.ProcessLimit)));
        Family(text, "berth_container_network_receive_bytes_total", "counter", "Bytes the container received on an interface.", Nics(cs, n => n.RxBytes));
        Family(text, "berth_container_network_transmit_bytes_total", "counter", "Bytes the container sent on an interface.", Nics(cs, n => n.TxBytes));
        Family(text, "berth_container_network_receive_packets_total", "counter", "Packets the container received on an interface.", Nics(cs, n => n.RxPackets));
        Family(text, "berth_container_network_transmit_packets_total", "counter", "Packets the container sent on an interface.", Nics(cs, n => n.TxPackets));
        Family(text, "berth_container_healthy", "gauge", "1 when the container's health command passes, 0 when it is unhealthy; absent without one.", cs.Select(c => (Labels(c), c.Healthy)));
        Family(text, "berth_container_restarts_total", "counter", "Restarts the container's restart policy made since it was last started otherwise (by a user, at boot).", cs.Select(c => (Labels(c), (double?)c.Restarts)));
        Family(text, "berth_container_disk_bytes", "gauge", "Bytes the container's root filesystem takes in its pool (measured every 15 minutes).", cs.Select(c => (Labels(c, ("pool", c.Pool)), (double?)c.DiskBytes)));

        var host = reading.Host;
        Family(text, "berth_pool_size_bytes", "gauge", "Size of the filesystem a storage pool lives on.", host.Pools.Select(p => (Label(("pool", p.Pool)), (double?)p.SizeBytes)));
        Family(text, "berth_pool_used_bytes", "gauge", "Bytes used on the filesystem a storage pool lives on.", host.Pools.Select(p => (Label(("pool", p.Pool)), (double?)p.UsedBytes)));
        Family(text, "berth_containers_running", "gauge", "Containers running now.", [("", cs.Count(c => c.State == "running"))]);
        Family(text, "berth_containers", "gauge", "Containers Berth manages.", [("", (double?)cs.Count)]);
        Family(text, "berth_jobs", "gauge", "Jobs kept, by status.", host.JobsByStatus.OrderBy(j => j.Key, StringComparer.Ordinal).Select(j => (Label(("status", j.Key)), (double?)j.Value)));
        Family(text, "berth_proxy_routes", "gauge", "Proxy routes.", [("", (double?)host.ProxyRoutes)]);
        Family(text, "berth_proxy_certificate_days_left", "gauge", "Days until a proxy certificate expires.", host.Certificates.Select(c => (Label(("certificate", c.Name)), (double?)c.DaysLeft)));
        if (host.BackupsByStatus is { } backups)
        {
            Family(text, "berth_backups", "gauge", "Backups, by status.", backups.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (Label(("status", b.Key)), (double?)b.Value)));
        }

        var containerMarks = host.BackupMarks.Where(m => m.Kind == "container").ToList();
        var targetMarks = host.BackupMarks.Where(m => m.Kind == "target").ToList();
        Family(text, "berth_backup_last_success_timestamp_seconds", "gauge", "When the container's last backup succeeded (Unix time).", containerMarks.Select(m => (Label(("container", m.Subject)), m.LastSuccess)));
        Family(text, "berth_backup_failing", "gauge", "1 when the container's last backup, prune or verify failed (until a backup succeeds), else 0.", containerMarks.Select(m => (Label(("container", m.Subject)), (double?)(m.Ok ? 0 : 1))));
        Family(text, "berth_backup_target_check_ok", "gauge", "1 when the target's last check or verify passed, 0 when it failed.", targetMarks.Select(m => (Label(("target", m.Subject)), (double?)(m.Ok ? 1 : 0))));

        return text.ToString();
    }

    private static IEnumerable<(string, double?)> Nics(IEnumerable<ContainerReading> containers, Func<InterfaceCounters, long> value) =>
        containers.SelectMany(c => c.Interfaces.Select(n => (Labels(c, ("interface", n.Name)), (double?)value(n))));

    private static void Family(StringBuilder text, string name, string type, string help, IEnumerable<(string Labels, double? Value)> series)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in series)
        {
            if (value is { } v)
            {
                text.Append(name).Append(labels).Append(' ').Append(Number(v)).Append('\n');
            }
        }
    }

    private static string Labels(ContainerReading c, params (string Name, string Value)[] more) =>
        Label([("container", c.Name), ("owner", c.Owner), .. more]);

    private static string Label(params (string Name, string Value)[] labels)
    {
        var text = new StringBuilder("{");
        foreach (var (name, value) in labels)
        {
            text.Append(text.Length > 1 ? "," : "").Append(name).Append("=\"").Append(Escape(value)).Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <summary>The format's label escapes: backslash, double quote and line feed.</summary>
    public static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string Number(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
