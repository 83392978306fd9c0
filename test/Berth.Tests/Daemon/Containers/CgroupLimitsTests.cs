using Berth.Daemon.Containers;

namespace Berth.Tests.Daemon.Containers;

public sealed class CgroupLimitsTests
{
    private static readonly HostCgroups V1 = new(CgroupVersion.V1, swapAccounting: true);
    private static readonly HostCgroups V1NoSwap = new(CgroupVersion.V1, swapAccounting: false);
    private static readonly HostCgroups V2 = new(CgroupVersion.V2, swapAccounting: false);

    private static readonly Dictionary<string, string> AllLimits = new()
    {
        [ContainerConfig.LimitsMemory] = "256MiB",
        [ContainerConfig.LimitsMemorySwap] = "512MiB",
        [ContainerConfig.LimitsCpu] = "0",
        [ContainerConfig.LimitsCpuWeight] = "50",
        [ContainerConfig.LimitsProcesses] = "100",
    };

    private static string AllCpus => $"0-{Environment.ProcessorCount - 1}";

    [Fact]
    public void Settings_V1AllLimits_WritesV1FilesInOrder()
    {
        var settings = CgroupLimits.Settings(AllLimits, V1, includeResets: false);

        Assert.Equal(
            [
                new("memory.limit_in_bytes", "268435456"),
                new("memory.memsw.limit_in_bytes", "805306368"),
                new("cpuset.cpus", "0"),
                new("cpu.shares", "512"),
                new KeyValuePair<string, string>("pids.max", "100"),
            ],
            settings);
    }

    [Fact]
    public void Settings_V2AllLimits_WritesV2Files()
    {
        var settings = CgroupLimits.Settings(AllLimits, V2, includeResets: false);

        Assert.Equal(
            [
                new("memory.max", "268435456"),
                new("memory.swap.max", "536870912"),
                new("cpuset.cpus", "0"),
                new("cpu.weight", "50"),
                new KeyValuePair<string, string>("pids.max", "100"),
            ],
            settings);
    }

    [Fact]
    public void Settings_V1WithoutSwapAccounting_NoMemswEvenWithResets()
    {
        var settings = CgroupLimits.Settings(AllLimits, V1NoSwap, includeResets: true);

        Assert.DoesNotContain(settings, s => s.Key.StartsWith("memory.memsw", StringComparison.Ordinal));
        Assert.Contains(new KeyValuePair<string, string>("memory.limit_in_bytes", "268435456"), settings);
    }

    [Fact]
    public void Settings_V1MemoryWithoutSwap_NoMemswWithoutResets()
    {
        var config = new Dictionary<string, string> { [ContainerConfig.LimitsMemory] = "256MiB" };

        var settings = CgroupLimits.Settings(config, V1, includeResets: false);

        Assert.Equal([new KeyValuePair<string, string>("memory.limit_in_bytes", "268435456")], settings);
    }

    [Theory]
    [InlineData("1", "10")]
    [InlineData("100", "1024")]
    [InlineData("1000", "10240")]
    public void Settings_V1CpuWeight_ScaledToShares(string weight, string shares)
    {
        var config = new Dictionary<string, string> { [ContainerConfig.LimitsCpuWeight] = weight };

        var settings = CgroupLimits.Settings(config, V1, includeResets: false);

        Assert.Equal([new KeyValuePair<string, string>("cpu.shares", shares)], settings);
    }

    [Fact]
    public void Settings_NoLimitsWithoutResets_Empty()
    {
        Assert.Empty(CgroupLimits.Settings(new Dictionary<string, string>(), V1, includeResets: false));
        Assert.Empty(CgroupLimits.Settings(new Dictionary<string, string>(), V2, includeResets: false));
    }

    [Fact]
    public void Settings_NonLimitKeys_Ignored()
    {
        var config = new Dictionary<string, string> { [ContainerConfig.BootAutostart] = "true", [ContainerConfig.SecurityPrivileged] = "true" };

        Assert.Empty(CgroupLimits.Settings(config, V2, includeResets: false));
    }

    [Fact]
    public void Settings_V1NoLimitsWithResets_WritesNoLimitValues()
    {
        var settings = CgroupLimits.Settings(new Dictionary<string, string>(), V1, includeResets: true);

        Assert.Equal(
            [
                new("memory.memsw.limit_in_bytes", "-1"),
                new("memory.limit_in_bytes", "-1"),
                new("memory.memsw.limit_in_bytes", "-1"),
                new("cpuset.cpus", AllCpus),
                new("cpu.shares", "1024"),
                new KeyValuePair<string, string>("pids.max", "max"),
            ],
            settings);
    }

    [Fact]
    public void Settings_V2NoLimitsWithResets_WritesNoLimitValues()
    {
        var settings = CgroupLimits.Settings(new Dictionary<string, string>(), V2, includeResets: true);

        Assert.Equal(
            [
                new("memory.max", "max"),
                new("memory.swap.max", "max"),
                new("cpuset.cpus", ""),
                new("cpu.weight", "100"),
                new KeyValuePair<string, string>("pids.max", "max"),
            ],
            settings);
    }

    [Fact]
    public void Settings_V1WithResets_LiftsMemswBeforeWritingMemory()
    {
        var settings = CgroupLimits.Settings(AllLimits, V1, includeResets: true);
        var keys = settings.Select(s => s.Key).ToList();

        var lift = keys.IndexOf("memory.memsw.limit_in_bytes");
        var memory = keys.IndexOf("memory.limit_in_bytes");
        var finalMemsw = keys.LastIndexOf("memory.memsw.limit_in_bytes");
        Assert.Equal(0, lift);
        Assert.Equal("-1", settings[lift].Value);
        Assert.True(memory > lift);
        Assert.Equal("268435456", settings[memory].Value);
        Assert.True(finalMemsw > memory);
        Assert.Equal("805306368", settings[finalMemsw].Value);
    }

    [Fact]
    public void Settings_V2SomeLimitsWithResets_ResetsOnlyTheUnset()
    {
        var config = new Dictionary<string, string> { [ContainerConfig.LimitsMemory] = "1GiB" };

        var settings = CgroupLimits.Settings(config, V2, includeResets: true);

        Assert.Equal(new KeyValuePair<string, string>("memory.max", "1073741824"), settings[0]);
        Assert.Equal(new KeyValuePair<string, string>("memory.swap.max", "max"), settings[1]);
        Assert.Equal(new KeyValuePair<string, string>("pids.max", "max"), settings[^1]);
    }
}
