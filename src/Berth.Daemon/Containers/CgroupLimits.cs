using System.Globalization;

namespace Berth.Daemon.Containers;

/// <summary>Turns limits.* keys into cgroup settings for the host's cgroup version.</summary>
public static class CgroupLimits
{
    /// <summary>
    /// The cgroup files and values that express <paramref name="config"/>, in an order the kernel accepts when applied live.
    /// With <paramref name="includeResets"/>, unset limits are written back to "no limit" (for live changes).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(IReadOnlyDictionary<string, string> config, HostCgroups host, bool includeResets)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(host);
        var v1 = host.Version == CgroupVersion.V1;
        var result = new List<KeyValuePair<string, string>>();

        void Add(string file, string? value, string reset)
        {
            if (value is not null)
            {
                result.Add(new(file, value));
            }
            else if (includeResets)
            {
                result.Add(new(file, reset));
            }
        }

        long? memory = config.TryGetValue(ContainerConfig.LimitsMemory, out var m) && ByteSize.TryParse(m, out var mb) ? mb : null;
        long? swap = config.TryGetValue(ContainerConfig.LimitsMemorySwap, out var s) && ByteSize.TryParse(s, out var sb) ? sb : null;
        config.TryGetValue(ContainerConfig.LimitsCpu, out var cpus);
        int? weight = config.TryGetValue(ContainerConfig.LimitsCpuWeight, out var w) ? int.Parse(w, CultureInfo.InvariantCulture) : null;
        config.TryGetValue(ContainerConfig.LimitsProcesses, out var processes);
        var allCpus = $"0-{Environment.ProcessorCount - 1}";

        if (v1)
        {
            // memsw must never be below the memory limit: lift it first, then set memory, then the real memsw.
            if (host.SwapAccounting && includeResets)
            {
                result.Add(new("memory.memsw.limit_in_bytes", "-1"));
            }

            Add("memory.limit_in_bytes", Text(memory), "-1");
            if (host.SwapAccounting)
            {
                Add("memory.memsw.limit_in_bytes", memory is not null && swap is not null ? Text(memory + swap) : null, "-1");
            }

            Add("cpuset.cpus", cpus, allCpus);
            Add("cpu.shares", weight is null ? null : Text(Math.Max(2L, weight.Value * 1024L / 100)), "1024");
            Add("pids.max", processes, "max");
        }
        else
        {
            Add("memory.max", Text(memory), "max");
            Add("memory.swap.max", Text(swap), "max");
            Add("cpuset.cpus", cpus, "");
            Add("cpu.weight", weight is null ? null : Text(weight), "100");
            Add("pids.max", processes, "max");
        }

        return result;
    }

    private static string? Text(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
