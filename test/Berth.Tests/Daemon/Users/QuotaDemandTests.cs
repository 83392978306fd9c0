using Berth.Daemon.Access;
using Berth.Daemon.Users;

namespace Berth.Tests.Daemon.Users;

public sealed class QuotaDemandTests
{
    private static readonly Caller Member = new() { Name = "alice", Role = Role.Member };

    [Fact]
    public void AmountOf_CpuSet_CountsItsCpus_MissingKeyIsUnbounded()
    {
        Assert.Equal(3, QuotaResource.Cpu.AmountOf(new Dictionary<string, string> { ["limits.cpu"] = "0-1,4" }));
        Assert.Equal(256L * 1024 * 1024, QuotaResource.Memory.AmountOf(new Dictionary<string, string> { ["limits.memory"] = "256MiB" }));
        Assert.Null(QuotaResource.Disk.AmountOf(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("memory", "2GiB", 2L * 1024 * 1024 * 1024)]
    [InlineData("memory", "0", 0)]
    [InlineData("containers", "3", 3)]
    [InlineData("ssh", "0", 0)]
    public void TryParseLimit_GoodValues_AreRead(string resource, string text, long expected)
    {
        Assert.True(QuotaResource.Find(resource)!.TryParseLimit(text, out var limit));
        Assert.Equal(expected, limit);
    }

    [Theory]
    [InlineData("memory", "lots")]
    [InlineData("containers", "-1")]
    [InlineData("containers", "2.5")]
    [InlineData("cpu", "2GiB")]
    public void TryParseLimit_BadValues_AreRefused(string resource, string text) =>
        Assert.False(QuotaResource.Find(resource)!.TryParseLimit(text, out _));

    [Fact]
    public void ForConfigChange_ChecksOnlyWhatItRaisesOrRemoves()
    {
        var before = new Dictionary<string, string> { ["limits.memory"] = "512MiB", ["limits.cpu"] = "0-1", ["limits.processes"] = "100" };
        var after = new Dictionary<string, string> { ["limits.memory"] = "256MiB", ["limits.cpu"] = "0-3", ["limits.disk"] = "1GiB" };

        var demand = QuotaDemand.ForConfigChange(false, null, "web", "alice", before, after);

        Assert.Equal([QuotaResource.Cpu, QuotaResource.Processes], demand.Adds.Keys.OrderBy(r => r.Name, StringComparer.Ordinal));
        Assert.Equal(4, demand.Adds[QuotaResource.Cpu]);
        Assert.Null(demand.Adds[QuotaResource.Processes]);
        Assert.Equal("web", demand.Replacing);
    }

    [Fact]
    public void IsExempt_AdminsAndRoot_NotMembersNorTheDaemonsSchedulers()
    {
        Assert.True(QuotaDemand.IsExempt(Caller.Root(null)));
        Assert.True(QuotaDemand.IsExempt(new Caller { Name = "bob", Role = Role.Admin }));
        Assert.False(QuotaDemand.IsExempt(Member));
        Assert.False(QuotaDemand.IsExempt(Caller.System));
        Assert.False(QuotaDemand.IsExempt((Caller?)null));
        Assert.Equal(1, QuotaDemand.ForContainer(Member, "alice", new Dictionary<string, string>()).Adds[QuotaResource.Containers]);
    }
}
