using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Storage;

/// <summary>berth copy: a new container with the source's files and an identity of its own, from its current state or a snapshot.</summary>
public sealed class CopyTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task Copy_GetsTheFilesAndItsOwnIdentity()
    {
        var source = env.Name("src");
        var copy = env.Name("copy");
        await env.LaunchAsync(source, config: new Dictionary<string, string> { ["limits.memory"] = "128MiB" });
        await env.ExecAsync(source, "sh", "-c", "echo payload > /root/data");

        await env.SucceedAsync(env.Client.CopyAsync(source, new CopyRequest { Target = copy }));
        var info = await env.Client.GetContainerAsync(copy);
        Assert.Equal(ContainerStatus.Stopped, info.Status);
        Assert.Equal("128MiB", info.Config["limits.memory"]);

        await env.ChangeStateAsync(copy, "start");
        Assert.Equal("payload\n", (await env.ExecAsync(copy, "cat", "/root/data")).Stdout);
        Assert.Equal(copy, (await env.ExecAsync(copy, "hostname")).Stdout.Trim());

        // The two are independent.
        await env.ExecAsync(copy, "sh", "-c", "echo changed > /root/data");
        Assert.Equal("payload\n", (await env.ExecAsync(source, "cat", "/root/data")).Stdout);
    }

    [Fact]
    public async Task Copy_FromSnapshot_TakesTheSnapshotState()
    {
        var source = env.Name("srcsnap");
        var copy = env.Name("fromsnap");
        await env.LaunchAsync(source);
        await env.ExecAsync(source, "sh", "-c", "echo old > /root/v");
        await env.SucceedAsync(env.Client.CreateSnapshotAsync(source, new SnapshotCreateRequest { Name = "s1" }));
        await env.ExecAsync(source, "sh", "-c", "echo new > /root/v");

        await env.SucceedAsync(env.Client.CopyAsync(source, new CopyRequest { Target = copy, Snapshot = "s1" }));
        await env.ChangeStateAsync(copy, "start");
        Assert.Equal("old\n", (await env.ExecAsync(copy, "cat", "/root/v")).Stdout);
    }

    [Fact]
    public async Task Copy_ToAnExistingNameOrFromAMissingSnapshot_IsRefused()
    {
        var source = env.Name("srcbad");
        await env.LaunchAsync(source);
        var taken = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.CopyAsync(source, new CopyRequest { Target = source }));
        Assert.Equal(409, taken.Status);
        var noSnapshot = await Assert.ThrowsAsync<BerthApiException>(() => env.Client.CopyAsync(source, new CopyRequest { Target = env.Name("x"), Snapshot = "nope" }));
        Assert.Equal(404, noSnapshot.Status);
        Assert.DoesNotContain(await env.Client.ListContainersAsync(), c => c.Name == env.Name("x"));
    }
}
