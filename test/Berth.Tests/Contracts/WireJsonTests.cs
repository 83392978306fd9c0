using System.Text.Json;
using Berth.Contracts;
using Xunit;

namespace Berth.Tests.Contracts;

/// <summary>The AOT-safe, source-generated options must write and read exactly what the daemon's reflection options do.</summary>
public sealed class WireJsonTests
{
    private static readonly ContainerInfo Container = new()
    {
        Name = "web1",
        Status = ContainerStatus.Running,
        Image = "busybox",
        InitPid = 42,
        Addresses = ["10.87.0.5"],
        Config = new Dictionary<string, string> { ["limits.memory"] = "256MiB" },
        CreatedAt = new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Serialize_ContainerList_MatchesDaemonShape()
    {
        IReadOnlyList<ContainerInfo> list = [Container, Container with { Name = "db1", Status = ContainerStatus.Stopped, InitPid = null }];

        var wire = JsonSerializer.Serialize(list, WireJson.TypeInfo<IReadOnlyList<ContainerInfo>>());

        Assert.Equal(JsonSerializer.Serialize(list, BerthJson.Options), wire);
        Assert.Contains("\"status\":\"running\"", wire, StringComparison.Ordinal);
        Assert.DoesNotContain("initPid\":null", wire, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_JobWithKebabStatus_MatchesDaemonShape()
    {
        var job = new JobInfo { Id = "j1", Kind = "launch", Target = "web1", Status = JobStatus.Succeeded, CreatedAt = DateTimeOffset.UnixEpoch, Error = "it's \"quoted\"" };

        var wire = JsonSerializer.Serialize(job, WireJson.TypeInfo<JobInfo>());

        Assert.Equal(JsonSerializer.Serialize(job, BerthJson.Options), wire);
        Assert.Equal(job, JsonSerializer.Deserialize(wire, WireJson.TypeInfo<JobInfo>()));
    }

    [Fact]
    public void Deserialize_DaemonContainer_RoundTrips()
    {
        var daemon = JsonSerializer.Serialize(Container, BerthJson.Options);

        var read = JsonSerializer.Deserialize(daemon, WireJson.TypeInfo<ContainerInfo>())!;

        Assert.Equal(Container.Status, read.Status);
        Assert.Equal(Container.Addresses, read.Addresses);
        Assert.Equal(Container.Config, read.Config);
        Assert.Equal(Container.CreatedAt, read.CreatedAt);
    }
}
