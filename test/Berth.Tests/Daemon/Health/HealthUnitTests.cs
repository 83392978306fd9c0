using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Events;
using Berth.Daemon.Health;
using Berth.Daemon.Metrics;

namespace Berth.Tests.Daemon.Health;

public sealed class HealthUnitTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0s", 0)]
    public void TryParse_Periods_ReadAsWritten(string text, int milliseconds)
    {
        Assert.True(HealthDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("-1s")]
    [InlineData("1.5s")]
    [InlineData("10 s")]
    [InlineData("1d")]
    [InlineData("")]
    [InlineData("99999999s")]
    public void TryParse_NotPeriods_AreRefused(string text) => Assert.False(HealthDuration.TryParse(text, out _));

    [Fact]
    public void Check_OutOfRange_NamesTheRange() =>
        Assert.Equal("must be from 1s to 24h", HealthKeys.CheckInterval("25h"));

    [Fact]
    public void From_NoKeys_WatchesNothing()
    {
        var settings = HealthSettings.From(new Dictionary<string, string>());

        Assert.False(settings.Watched);
        Assert.Equal(RestartPolicy.No, settings.Policy);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Interval);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Timeout);
        Assert.Equal(3, settings.Retries);
    }

    [Fact]
    public void From_OnFailure_GivesUpAfterTenUnlessMaxSet()
    {
        Assert.Equal(HealthSettings.OnFailureMax, HealthSettings.From(new Dictionary<string, string> { ["restart.policy"] = "on-failure" }).Max);
        Assert.Null(HealthSettings.From(new Dictionary<string, string> { ["restart.policy"] = "always" }).Max);
        Assert.Equal(3, HealthSettings.From(new Dictionary<string, string> { ["restart.policy"] = "always", ["restart.max"] = "3" }).Max);
    }

    [Fact]
    public void From_Command_IsWatchedWithItsPeriods()
    {
        var settings = HealthSettings.From(new Dictionary<string, string>
        {
            ["health.command"] = "wget -q -O /dev/null http://127.0.0.1/",
            ["health.interval"] = "30s",
            ["health.timeout"] = "2s",
            ["health.retries"] = "5",
            ["health.start-period"] = "1m",
        });

        Assert.True(settings.Watched);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.Interval);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Timeout);
        Assert.Equal(5, settings.Retries);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.StartPeriod);
    }

    [Fact]
    public void Backoff_Doubles_CappedAtFiveMinutes()
    {
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300], Enumerable.Range(0, 11).Select(n => HealthMonitor.Backoff(n).TotalSeconds));
        Assert.Equal(HealthMonitor.MaxBackoff, HealthMonitor.Backoff(1000));
    }

    [Fact]
    public void Observe_SeesEachEventBeforePublishReturns()
    {
        var broker = new EventBroker(TimeProvider.System);
        var seen = new List<string>();
        broker.Observe(e => seen.Add(e.Action));

        broker.Lifecycle("container.stopped", "web1");

        Assert.Equal(["container.stopped"], seen);
    }

    [Fact]
    public void Serialize_Health_IsKebabCase()
    {
        var info = new ContainerInfo { Name = "web1", Status = ContainerStatus.Running, Health = ContainerHealth.Unhealthy, Restarts = 2 };

        var wire = JsonSerializer.Serialize(info, WireJson.TypeInfo<ContainerInfo>());

        Assert.Contains("\"health\":\"unhealthy\"", wire, StringComparison.Ordinal);
        Assert.Contains("\"restarts\":2", wire, StringComparison.Ordinal);
        Assert.Equal(ContainerHealth.Unhealthy, JsonSerializer.Deserialize(wire, WireJson.TypeInfo<ContainerInfo>())!.Health);
    }

    [Fact]
    public void Render_HealthAndRestarts_OnlyWhereKnown()
    {
        var host = new HostReading { Pools = [], JobsByStatus = new Dictionary<string, long>(), ProxyRoutes = 0, Certificates = [] };
        var reading = new MetricsReading(DateTimeOffset.UnixEpoch, [
            new ContainerReading { Name = "web1", Owner = "", State = "running", Healthy = 0, Restarts = 3 },
            new ContainerReading { Name = "db1", Owner = "", State = "running" },
        ], host);

        var lines = PrometheusText.Render(reading).Split('\n');

        Assert.Contains("berth_container_healthy{container=\"web1\",owner=\"\"} 0", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("berth_container_healthy{container=\"db1\"", StringComparison.Ordinal));
        Assert.Contains("berth_container_restarts_total{container=\"web1\",owner=\"\"} 3", lines);
        Assert.Contains("berth_container_restarts_total{container=\"db1\",owner=\"\"} 0", lines);
    }
}
