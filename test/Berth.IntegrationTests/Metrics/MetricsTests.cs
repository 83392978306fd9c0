using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Metrics;

/// <summary>
/// /metrics against the cgroup files of a busy busybox container (a dd loop, and a shell holding a 50 MB string), the history
/// a 1 s sampler keeps across a daemon restart, and what a member may see of either.
/// </summary>
public sealed class MetricsTests(MetricsTests.World world) : IClassFixture<MetricsTests.World>
{
    private const long MemoryLimit = 256L * 1024 * 1024;

    public sealed class World : IAsyncLifetime
    {
        public MetricsEnvironment Env { get; } = new();
        public string Busy { get; private set; } = "";
        public string Idle { get; private set; } = "";
        public string Member { get; private set; } = "";
        public string MemberToken { get; private set; } = "";
        public string MemberContainer { get; private set; } = "";
        public Task Load { get; private set; } = Task.CompletedTask;

        public async Task InitializeAsync()
        {
            await Env.InitializeAsync();
            var network = Env.NetworkName("met");
            await Env.SucceedAsync(Env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = network, Subnet = Env.NextSubnet() }));
            Busy = Env.Name("busy");
            Idle = Env.Name("idle");
            await Env.SucceedAsync(Env.Client.LaunchAsync(new LaunchRequest { Name = Busy, Image = "busybox", Network = network }));
            await Env.SucceedAsync(Env.Client.LaunchAsync(new LaunchRequest { Name = Idle, Image = "busybox", Network = network }));
            await Env.SucceedAsync(Env.Client.UpdateConfigAsync(Busy, new ConfigUpdateRequest
            {
                Set = new Dictionary<string, string> { ["limits.memory"] = "256MiB", ["limits.processes"] = "100" },
            }));
            // The load lives as long as this exec session (an exec's processes end with it); the container's stop ends both.
            Load = Env.ExecAsync(Busy, "sh", "-c", "dd if=/dev/zero of=/dev/null & x=$(head -c 50000000 /dev/zero | tr '\\0' a); sleep 100000");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(Load.IsCompleted, "the load ended early");

            Member = Env.Name("mia");
            await Env.Client.CreateUserAsync(new UserCreateRequest { Name = Member, Role = "member", Password = "metrics-password-1" });
            MemberToken = (await Env.Client.CreateTokenAsync(Member, new TokenCreateRequest { Name = "laptop" })).Token;
            MemberContainer = Env.Name("mine");
            await Env.SucceedAsync(Env.Client.LaunchAsync(new LaunchRequest { Name = MemberContainer, Image = "busybox", Owner = Member }));
        }

        public async Task DisposeAsync() => await Env.DisposeAsync();
    }

    private HttpClient As(string token)
    {
        var http = new HttpClient { BaseAddress = world.Env.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>The container's cgroup file, found the way the kernel tells: its init's /proc/PID/cgroup.</summary>
    private async Task<long> CgroupValueAsync(string container, string controller, string v1File, string v2File)
    {
        var pid = (await world.Env.Client.GetContainerAsync(container)).InitPid!.Value;
        var lines = await File.ReadAllLinesAsync($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cgroup");
        var v2 = File.Exists("/sys/fs/cgroup/cgroup.controllers");
        var line = lines.First(l => v2 ? l.StartsWith("0::", StringComparison.Ordinal) : l.Split(':')[1].Split(',').Contains(controller));
        var path = line.Split(':', 3)[2];
        var payload = path.IndexOf("/lxc.payload.", StringComparison.Ordinal);
        if (payload >= 0 && path.IndexOf('/', payload + 1) is var end and > 0)
        {
            path = path[..end];
        }

        var file = v2 ? $"/sys/fs/cgroup{path}/{v2File}" : $"/sys/fs/cgroup/{controller}{path}/{v1File}";
        var text = (await File.ReadAllTextAsync(file)).Trim();
        return v2 && v2File == "cpu.stat"
            ? long.Parse(text.Split('\n').First(l => l.StartsWith("usage_usec ", StringComparison.Ordinal))[11..], CultureInfo.InvariantCulture)
            : long.Parse(text, CultureInfo.InvariantCulture);
    }

    private async Task<List<PrometheusParser.Sample>> ScrapeAsync()
    {
        using var admin = As(world.Env.AdminToken);
        using var response = await admin.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        return PrometheusParser.Parse(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_BusyContainer_MatchItsCgroupFiles()
    {
        var first = await ScrapeAsync();
        var memoryNow = await CgroupValueAsync(world.Busy, "memory", "memory.usage_in_bytes", "memory.current");
        var memory = PrometheusParser.Value(first, "berth_container_memory_bytes", world.Busy, ("owner", ""));
        Assert.NotNull(memory);
        // The shell holds 50 MB; the reading and the test's own read are a moment apart, so allow 10 MiB either way.
        Assert.InRange(memory!.Value, memoryNow - 10 * 1024 * 1024, memoryNow + 10 * 1024 * 1024);
        Assert.True(memory > 0);
        Assert.Equal(MemoryLimit, PrometheusParser.Value(first, "berth_container_memory_limit_bytes", world.Busy));
        Assert.Equal(100, PrometheusParser.Value(first, "berth_container_process_limit", world.Busy));
        Assert.True(PrometheusParser.Value(first, "berth_container_processes", world.Busy) >= 3);
        Assert.Equal(1, PrometheusParser.Value(first, "berth_container_state", world.Busy, ("state", "running")));
        Assert.NotNull(PrometheusParser.Value(first, "berth_container_network_receive_bytes_total", world.Busy, ("interface", "eth0")));
        Assert.Null(PrometheusParser.Value(first, "berth_container_memory_limit_bytes", world.Idle));
        Assert.Contains(first, s => s.Name == "berth_pool_size_bytes" && s.Labels["pool"] == "default" && s.Value > 0);
        Assert.Contains(first, s => s.Name == "berth_containers_running" && s.Value >= 3);
        Assert.Contains(first, s => s.Name == "berth_jobs" && s.Labels["status"] == "succeeded" && s.Value > 0);

        var cpuBefore = PrometheusParser.Value(first, "berth_container_cpu_seconds_total", world.Busy)!.Value;
        var cgroupCpu = await CgroupValueAsync(world.Busy, "cpuacct", "cpuacct.usage", "cpu.stat");
        var cgroupSeconds = File.Exists("/sys/fs/cgroup/cgroup.controllers") ? cgroupCpu / 1e6 : cgroupCpu / 1e9;
        Assert.InRange(cpuBefore, cgroupSeconds - 6.5, cgroupSeconds);

        // The answer is cached a few seconds; past that the counter has grown by the dd loop's time.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var cpuAfter = PrometheusParser.Value(await ScrapeAsync(), "berth_container_cpu_seconds_total", world.Busy)!.Value;
        Assert.True(cpuAfter > cpuBefore + 0.1, $"cpu seconds {cpuBefore} -> {cpuAfter} should grow with a busy loop");
    }

    [Fact]
    public async Task History_OneSecondInterval_BusyNearOneCore_IdleNearZero_AndSurvivesRestart()
    {
        MetricsHistoryInfo busy = null!;
        for (var i = 0; i < 30; i++)
        {
            busy = await world.Env.Client.GetContainerMetricsAsync(world.Busy, "10m");
            if (busy.Points.Count(p => p.CpuCores is not null) >= 3)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.Equal("1m", busy.Step);
        Assert.Equal(1, busy.IntervalSeconds);
        var rates = busy.Points.Select(p => p.CpuCores).OfType<double>().ToList();
        Assert.True(rates.Count >= 3, $"{rates.Count} points with a CPU rate");
        // The host may be shared (its load is not ours to assert on): busy means clearly above the idle one.
        Assert.True(rates[^1] > 0.05, $"busy container at {rates[^1]} cores");
        Assert.True(busy.Points[^1].MemoryBytes > 0);
        var idle = (await world.Env.Client.GetContainerMetricsAsync(world.Idle, "10m")).Points.Select(p => p.CpuCores).OfType<double>().ToList();
        Assert.NotEmpty(idle);
        Assert.True(idle[^1] < 0.05 && idle[^1] * 5 < rates[^1], $"idle container at {idle[^1]} cores, busy at {rates[^1]}");
        var host = await world.Env.Client.GetHostMetricsAsync("10m");
        Assert.True(host.Points[^1].CpuCores > 0.05);

        var hourly = await world.Env.Client.GetContainerMetricsAsync(world.Busy, "1d", "1h");
        Assert.Equal("1h", hourly.Step);
        Assert.True(hourly.Points[^1].CpuCores > 0.02);

        await world.Env.Daemon.StopAsync();
        Assert.True(File.Exists(Path.Combine(world.Env.StateDir, "metrics.history")));
        await world.Env.StartDaemonAsync();
        var after = await world.Env.Client.GetContainerMetricsAsync(world.Busy, "10m");
        var before = busy.Points.Where(p => p.CpuCores is not null).Select(p => p.At).ToHashSet();
        Assert.Superset(before, after.Points.Where(p => p.CpuCores is not null).Select(p => p.At).ToHashSet());
    }

    [Fact]
    public async Task Member_SeesOwnHistoryAndUsage_NotOthers_AndNotPrometheus()
    {
        using var member = As(world.MemberToken);
        using (var own = await member.GetAsync($"api/v1/containers/{world.MemberContainer}/metrics?since=1h"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        using (var other = await member.GetAsync($"api/v1/containers/{world.Busy}/metrics?since=1h"))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            Assert.DoesNotContain("cpuCores", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var prometheus = await member.GetAsync("metrics"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, prometheus.StatusCode);
            Assert.DoesNotContain(world.Busy, await prometheus.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var hostHistory = await member.GetAsync("api/v1/host/metrics?since=1h"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, hostHistory.StatusCode);
        }

        var usage = await member.GetFromJsonAsync<ContainerUsageInfo[]>("api/v1/usage", BerthJson.Options);
        Assert.Equal([world.MemberContainer], usage!.Select(u => u.Name));

        using var anonymous = new HttpClient { BaseAddress = world.Env.BaseAddress };
        using var none = await anonymous.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Theory]
    [InlineData("since=forever")]
    [InlineData("since=91d")]
    [InlineData("since=1h&step=5m")]
    public async Task History_BadWindow_IsProblemNamingTheField(string query)
    {
        using var admin = As(world.Env.AdminToken);
        using var response = await admin.GetAsync($"api/v1/containers/{world.Idle}/metrics?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemInfo>(BerthJson.Options);
        Assert.Contains(query.Contains("step", StringComparison.Ordinal) ? "step=" : "since=", problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_Once_PrintsTheBusyContainerFirst()
    {
        var result = await CliRunner.RunAsync(world.Env.StateDir, "top", "--once");
        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Contains("CPU%", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(world.Busy + " ", lines[1], StringComparison.Ordinal);
        Assert.Contains("256 MiB", lines[1], StringComparison.Ordinal);

        var info = await CliRunner.RunAsync(world.Env.StateDir, "info", world.Busy);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("Last hour:", info.Stdout, StringComparison.Ordinal);
        Assert.Contains("CPU cores: min", info.Stdout, StringComparison.Ordinal);
    }
}
