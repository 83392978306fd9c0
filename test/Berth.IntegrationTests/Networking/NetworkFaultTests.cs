using System.Diagnostics;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networking;

/// <summary>A network create that fails halfway (bridge made, nft refuses the table) leaves nothing behind.</summary>
public sealed class NetworkFaultTests(NetworkBerthEnvironment env) : IClassFixture<NetworkBerthEnvironment>
{
    [Fact]
    public async Task Create_WhenNftFailsAfterTheBridge_UndoesEverything()
    {
        // Another process owns a table with Berth's name: the kernel refuses Berth's transaction (EPERM) until it exits.
        var info = new ProcessStartInfo("nft") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-i");
        using var owner = Process.Start(info)!;
        try
        {
            await owner.StandardInput.WriteLineAsync($"add table inet {env.NftTable} {{ flags owner; }}");
            await owner.StandardInput.FlushAsync();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await Host.RunAsync("nft", "list", "table", "inet", env.NftTable)).ExitCode != 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            var name = env.NetworkName("flt");
            var job = await env.WaitAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = name, Subnet = env.NextSubnet(), Nat = true }));

            Assert.Equal(JobStatus.Failed, job.Status);
            Assert.Contains("nft", job.Error, StringComparison.Ordinal);
            Assert.False(Directory.Exists($"/sys/class/net/{name}"), "the bridge made before nft failed is removed");
            Assert.DoesNotContain(await env.Client.ListNetworksAsync(), n => n.Name == name);
            Assert.Empty(env.NameServerPids());
        }
        finally
        {
            owner.StandardInput.Close();
            if (!owner.WaitForExit(5000))
            {
                owner.Kill();
            }
        }

        // Once the other owner is gone, the same network can be created.
        var again = env.NetworkName("fl2");
        await env.SucceedAsync(env.Client.CreateNetworkAsync(new NetworkCreateRequest { Name = again, Subnet = env.NextSubnet() }));
        Assert.True(Directory.Exists($"/sys/class/net/{again}"));
    }
}
