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

    /// <summary>Every wire record, and the lists of the *Info ones, has source-generated metadata: a type missing from the context fails only at run time otherwise.</summary>
    [Fact]
    public void Context_HasEveryWireType()
    {
        var wire = typeof(ContainerInfo).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && t.IsSealed && !t.IsAbstract && t.Namespace == "Berth.Contracts" && t.GetMethod("<Clone>$") is not null)
            .ToList();
        Assert.NotEmpty(wire);
        var missing = new List<string>();
        foreach (var type in wire)
        {
            IEnumerable<Type> needed = type.Name.EndsWith("Info", StringComparison.Ordinal) && type != typeof(ContainerConfigInfo) && type != typeof(ProblemInfo) && type != typeof(ServerInfo) && type != typeof(SessionInfo) && type != typeof(SshInfo)
                ? [type, type.MakeArrayType(), typeof(IReadOnlyList<>).MakeGenericType(type)]
                : [type];
            foreach (var t in needed)
            {
                try
                {
                    _ = WireJson.Options.GetTypeInfo(t);
                }
                catch (NotSupportedException)
                {
                    missing.Add(t.ToString());
                }
            }
        }

        Assert.Empty(missing);
    }
}
