using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>The event stream reports job and lifecycle events in the order they happened.</summary>
public sealed class EventsTests(BerthEnvironment env) : IClassFixture<BerthEnvironment>
{
    [Fact]
    public async Task Launch_StreamsJobAndLifecycleEventsInOrder()
    {
        var name = env.Name("events");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<BerthEvent>();
        var listening = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in env.Client.StreamEventsAsync(0, cts.Token))
            {
                if (e.Target == name)
                {
                    seen.Add(e);
                    if (e.Action is "job.succeeded" or "job.failed")
                    {
                        return;
                    }
                }
            }
        });

        await env.LaunchAsync(name);
        await reader.WaitAsync(cts.Token);

        Assert.Equal(
            ["job.queued", "job.running", "container.created", "container.started", "job.succeeded"],
            seen.Where(e => e.Action != "job.progress").Select(e => e.Action));
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First.Seq < p.Second.Seq));
        Assert.All(seen, e => Assert.NotNull(e.JobId));
    }
}
