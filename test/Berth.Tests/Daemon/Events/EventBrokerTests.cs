using Berth.Contracts;
using Berth.Daemon.Events;

namespace Berth.Tests.Daemon.Events;

public sealed class EventBrokerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Publish_Several_SequenceStrictlyIncreases()
    {
        var broker = new EventBroker(TimeProvider.System);

        var seqs = Enumerable.Range(0, 5).Select(i => broker.Publish("job", "job.running", $"t{i}").Seq).ToList();

        Assert.Equal([1L, 2L, 3L, 4L, 5L], seqs);
    }

    [Fact]
    public void Lifecycle_Fields_SetOnEvent()
    {
        var broker = new EventBroker(TimeProvider.System);
        var before = DateTimeOffset.UtcNow;

        var evt = broker.Lifecycle("container.started", "web", "job-1", "autostart");

        Assert.Equal("lifecycle", evt.Type);
        Assert.Equal("container.started", evt.Action);
        Assert.Equal("web", evt.Target);
        Assert.Equal("job-1", evt.JobId);
        Assert.Equal("autostart", evt.Message);
        Assert.InRange(evt.Time, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task SubscribeAsync_Since_BacklogAfterSeqThenLiveInOrder()
    {
        var broker = new EventBroker(TimeProvider.System);
        broker.Lifecycle("container.started", "a");
        broker.Lifecycle("container.started", "b");
        broker.Lifecycle("container.started", "c");
        using var cts = new CancellationTokenSource(Timeout);
        await using var events = broker.SubscribeAsync(since: 1, cts.Token).GetAsyncEnumerator(cts.Token);

        var received = new List<BerthEvent>();
        Assert.True(await events.MoveNextAsync());
        received.Add(events.Current);
        Assert.True(await events.MoveNextAsync());
        received.Add(events.Current);
        broker.Lifecycle("container.stopped", "d");
        broker.Lifecycle("container.stopped", "e");
        Assert.True(await events.MoveNextAsync());
        received.Add(events.Current);
        Assert.True(await events.MoveNextAsync());
        received.Add(events.Current);

        Assert.Equal([2L, 3L, 4L, 5L], received.Select(e => e.Seq));
        Assert.Equal(["b", "c", "d", "e"], received.Select(e => e.Target));
    }

    [Fact]
    public async Task SubscribeAsync_NoSince_OnlyLiveEvents()
    {
        var broker = new EventBroker(TimeProvider.System);
        broker.Lifecycle("container.started", "old");
        using var cts = new CancellationTokenSource(Timeout);
        await using var events = broker.SubscribeAsync(since: null, cts.Token).GetAsyncEnumerator(cts.Token);

        var next = events.MoveNextAsync();
        broker.Lifecycle("container.started", "new");

        Assert.True(await next);
        Assert.Equal("new", events.Current.Target);
        Assert.Equal(2, events.Current.Seq);
    }

    [Fact]
    public async Task SubscribeAsync_SinceLatest_NoReplay()
    {
        var broker = new EventBroker(TimeProvider.System);
        broker.Lifecycle("container.started", "a");
        broker.Lifecycle("container.started", "b");
        using var cts = new CancellationTokenSource(Timeout);
        await using var events = broker.SubscribeAsync(since: 2, cts.Token).GetAsyncEnumerator(cts.Token);

        var next = events.MoveNextAsync();
        broker.Lifecycle("container.started", "c");

        Assert.True(await next);
        Assert.Equal(3, events.Current.Seq);
    }

    [Fact]
    public async Task SubscribeAsync_TwoSubscribers_BothGetEachEvent()
    {
        var broker = new EventBroker(TimeProvider.System);
        using var cts = new CancellationTokenSource(Timeout);
        await using var first = broker.SubscribeAsync(since: 0, cts.Token).GetAsyncEnumerator(cts.Token);
        await using var second = broker.SubscribeAsync(since: 0, cts.Token).GetAsyncEnumerator(cts.Token);
        var firstNext = first.MoveNextAsync();
        var secondNext = second.MoveNextAsync();

        broker.Lifecycle("container.started", "web");

        Assert.True(await firstNext);
        Assert.True(await secondNext);
        Assert.Equal(1, first.Current.Seq);
        Assert.Equal(1, second.Current.Seq);
    }

    [Fact]
    public async Task SubscribeAsync_Cancelled_EndsEnumeration()
    {
        var broker = new EventBroker(TimeProvider.System);
        using var cts = new CancellationTokenSource();
        await using var events = broker.SubscribeAsync(since: null, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync().AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }
}
