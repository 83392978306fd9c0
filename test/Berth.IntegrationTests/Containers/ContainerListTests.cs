using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>GET /api/v1/containers carries what a list shows without a request per container.</summary>
public sealed class ContainerListTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task List_RunningContainer_HasMemory_StoppedHasNone()
    {
        var running = env.Name("listmem");
        var stopped = env.Name("listmemoff");
        await env.LaunchAsync(running);
        await env.LaunchAsync(stopped, start: false);

        // 32 MiB resident in the container's init tree, so the figure is the container's own and not a stray zero.
        await env.ExecAsync(running, "sh", "-c", "mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm 2>/dev/null; dd if=/dev/zero of=/dev/shm/fill bs=1M count=32 2>/dev/null");
        var listed = await env.Client.ListContainersAsync();

        var memory = listed.Single(c => c.Name == running).MemoryBytes;
        Assert.NotNull(memory);
        Assert.InRange(memory.Value, 32L << 20, 4L << 30);
        Assert.Null(listed.Single(c => c.Name == stopped).MemoryBytes);
    }
}
