using System.Diagnostics;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Audit;

/// <summary>Records older than --audit-retention are pruned; newer ones stay; a retention that is not a period stops berthd.</summary>
public sealed class AuditRetentionTests(AuditRetentionEnvironment env) : IClassFixture<AuditRetentionEnvironment>
{
    [Fact]
    public async Task Retention_PrunesRecordsOlderThanIt_AndKeepsTheRest()
    {
        var user = env.Name("aged");
        var now = DateTimeOffset.UtcNow;
        await AuditRows.InsertAsync(env.StateDir, $"{user}-8d", now.AddDays(-8), user);
        await AuditRows.InsertAsync(env.StateDir, $"{user}-6d", now.AddDays(-6), user);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyList<string> left;
        do
        {
            await Task.Delay(200);
            left = [.. (await env.Client.ListAuditAsync(user: user)).Select(e => e.Id)];
        }
        while (left.Count > 1 && DateTime.UtcNow < deadline);

        Assert.Equal([$"{user}-6d"], left);
    }

    [Theory]
    [InlineData("forever")]
    [InlineData("0d")]
    [InlineData("5y")]
    public async Task BadRetention_StopsTheDaemon_SayingWhatIsExpected(string retention)
    {
        var stateDir = Path.Combine(env.StateDir, "never-used");
        var info = new ProcessStartInfo(TestHost.Dotnet) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { TestHost.DaemonDll, "--state-dir", stateDir, "--nft-table", env.NftTable + "x", "--audit-retention", retention })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains($"--audit-retention {retention}: expected a period such as 90d", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(stateDir));
    }
}
