using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Storage;

namespace Berth.Tests.Daemon.Storage;

public sealed class ArchiveManifestTests
{
    private static ArchiveManifest Manifest(IReadOnlyList<ArchivedNic>? nics) => new()
    {
        Name = "app",
        Image = "busybox",
        Privileged = false,
        Config = new Dictionary<string, string>(),
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExportedAt = DateTimeOffset.UnixEpoch,
        Architecture = "x64",
        Nics = nics,
    };

    [Fact]
    public void Read_ManifestWrittenBeforeNicsWereRecorded_NicsIsNullAndValid()
    {
        var old = """{"format":"berth-container","version":2,"name":"app","image":"busybox","privileged":false,"config":{},"createdAt":"2026-11-22T03:36:55+00:00","exportedAt":"2026-11-22T04:10:00+00:00","architecture":"x64"}""";

        var manifest = JsonSerializer.Deserialize<ArchiveManifest>(old, BerthJson.Options)!;

        Assert.Null(manifest.Nics);
        Assert.Empty(manifest.Problems());
    }

    [Fact]
    public void RoundTrip_TwoNics_KeepsThemInOrder()
    {
        var manifest = Manifest([new ArchivedNic { Network = "pub", Ipv4 = "10.1.0.2", Ipv6 = "fd00::2" }, new ArchivedNic { Network = "priv", Ipv4 = "10.2.0.2" }]);

        var read = JsonSerializer.Deserialize<ArchiveManifest>(JsonSerializer.Serialize(manifest, BerthJson.Options), BerthJson.Options)!;

        Assert.Equal(manifest.Nics, read.Nics);
        Assert.Empty(read.Problems());
    }

    [Theory]
    [InlineData("bad name", null, null)]
    [InlineData("pub\nx", null, null)]
    [InlineData("pub", "10.1.0.300", null)]
    [InlineData("pub", "fd00::2", null)]
    [InlineData("pub", "10.1.0.2\n", null)]
    [InlineData("pub", null, "10.1.0.2")]
    public void Problems_NicOutsideItsGrammar_IsNamed(string network, string? ipv4, string? ipv6)
    {
        var problems = Manifest([new ArchivedNic { Network = network, Ipv4 = ipv4, Ipv6 = ipv6 }]).Problems();

        Assert.Contains(problems, p => p.StartsWith("nics:", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_SameNetworkTwiceOrTooMany_AreNamed()
    {
        Assert.Contains(Manifest([new ArchivedNic { Network = "pub" }, new ArchivedNic { Network = "pub" }]).Problems(), p => p.Contains("twice", StringComparison.Ordinal));
        Assert.Contains(Manifest([.. Enumerable.Range(0, 9).Select(i => new ArchivedNic { Network = $"n{i}" })]).Problems(), p => p.Contains("at most 8", StringComparison.Ordinal));
    }
}
