using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>limits.* keys reach the kernel's cgroups, live and across restarts, and the kernel enforces them.</summary>
public sealed class LimitsTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    private static readonly bool CgroupV1 = !File.Exists("/sys/fs/cgroup/cgroup.controllers");

    [Fact]
    public async Task MemoryLimit_ProcessAllocatingPastIt_IsKilledByTheKernel()
    {
        var name = env.Name("oom");
        await env.LaunchAsync(name, config: new Dictionary<string, string> { ["limits.memory"] = "32MiB" });

        // dd holds one block of bs bytes in memory: 8 MiB fits, 64 MiB does not.
        var small = await env.ExecAsync(name, "dd", "if=/dev/zero", "of=/dev/null", "bs=8M", "count=1");
        Assert.Equal(0, small.ExitCode);
        var large = await env.ExecAsync(name, "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1");
        Assert.Equal(137, large.ExitCode);
    }

    [Fact]
    public async Task ConfigSet_RunningContainer_AppliesLiveAndPersistsAcrossRestart()
    {
        var name = env.Name("live");
        await env.LaunchAsync(name);

        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest
        {
            Set = new Dictionary<string, string>
            {
                ["limits.memory"] = "256MiB",
                ["limits.memory.swap"] = "512MiB",
                ["limits.cpu"] = "0",
                ["limits.cpu.weight"] = "50",
                ["limits.processes"] = "200",
            },
        }));
        await AssertLimitsAsync(name);

        await env.ChangeStateAsync(name, "restart", force: true);
        await AssertLimitsAsync(name);

        var shown = await env.Client.GetConfigAsync(name);
        Assert.Equal("256MiB", shown.Effective["limits.memory"]);
        Assert.Equal("50", shown.Effective["limits.cpu.weight"]);
        Assert.Contains("lxc.cgroup", shown.LxcConfig, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigUnset_RunningContainer_LiftsTheLimit()
    {
        var name = env.Name("unset");
        await env.LaunchAsync(name, config: new Dictionary<string, string> { ["limits.processes"] = "100" });
        Assert.Equal("100", await CgroupAsync(name, "pids.max"));

        await env.SucceedAsync(env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Unset = ["limits.processes"] }));
        Assert.Equal("max", await CgroupAsync(name, "pids.max"));
        Assert.DoesNotContain("limits.processes", (await env.Client.GetConfigAsync(name)).Config.Keys);
    }

    [Fact]
    public async Task ProcessLimit_ForkPastIt_Fails()
    {
        var name = env.Name("pids");
        await env.LaunchAsync(name, config: new Dictionary<string, string> { ["limits.processes"] = "10" });

        // Twenty sleeping children cannot all exist under a limit of ten.
        var result = await env.ExecAsync(name, "sh", "-c", "for i in $(seq 1 20); do sleep 5 & done; wait");
        Assert.Contains("fork", result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("limits.memory", "lots")]
    [InlineData("limits.cpu", "0-999")]
    [InlineData("limits.cpu.weight", "0")]
    [InlineData("boot.autostart", "maybe")]
    [InlineData("no.such.key", "1")]
    [InlineData("security.privileged", "true")]
    public async Task ConfigSet_BadKeyOrValue_IsRefusedAndChangesNothing(string key, string value)
    {
        var name = env.Name("bad");
        if ((await env.Client.ListContainersAsync()).All(c => c.Name != name))
        {
            await env.LaunchAsync(name, config: new Dictionary<string, string> { ["limits.memory"] = "128MiB" });
        }

        var before = await env.Client.GetConfigAsync(name);
        var error = await Assert.ThrowsAsync<BerthApiException>(() =>
            env.Client.UpdateConfigAsync(name, new ConfigUpdateRequest { Set = new Dictionary<string, string> { [key] = value } }));
        Assert.Equal(400, error.Status);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);

        var after = await env.Client.GetConfigAsync(name);
        Assert.Equal(before.Config, after.Config);
        Assert.Equal(before.LxcConfig, after.LxcConfig);
    }

    private async Task AssertLimitsAsync(string name)
    {
        if (CgroupV1)
        {
            Assert.Equal("268435456", await CgroupAsync(name, "memory.limit_in_bytes"));
            if (File.Exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"))
            {
                Assert.Equal((268435456L + 536870912L).ToString(System.Globalization.CultureInfo.InvariantCulture), await CgroupAsync(name, "memory.memsw.limit_in_bytes"));
            }

            Assert.Equal("512", await CgroupAsync(name, "cpu.shares"));
        }
        else
        {
            Assert.Equal("268435456", await CgroupAsync(name, "memory.max"));
            Assert.Equal("536870912", await CgroupAsync(name, "memory.swap.max"));
            Assert.Equal("50", await CgroupAsync(name, "cpu.weight"));
        }

        Assert.Equal("0", await CgroupAsync(name, "cpuset.cpus"));
        Assert.Equal("200", await CgroupAsync(name, "pids.max"));
    }

    /// <summary>Reads the value through LXC's own tool, as an admin would check it.</summary>
    private async Task<string> CgroupAsync(string name, string key) =>
        (await Host.RunCheckedAsync("lxc-cgroup", "-n", name, "-P", env.LxcPath, key)).Trim();
}
