using System.Threading.Channels;
using Berth.Contracts;

namespace Berth.Daemon.Events;

/// <summary>
/// Publishes lifecycle and job events in one order (a sequence number) to every subscriber, and keeps the last
/// ones so a client reconnecting with the last id it saw misses nothing recent.
/// </summary>
public sealed class EventBroker(TimeProvider time)
{
    private const int Backlog = 1000;
    private readonly Lock _lock = new();
    private readonly LinkedList<BerthEvent> _recent = new();
    private readonly List<Channel<BerthEvent>> _subscribers = [];
    private readonly List<Action<BerthEvent>> _observers = [];
    private long _seq;

    public BerthEvent Publish(string type, string action, string target, string? jobId = null, string? message = null)
    {
        lock (_lock)
        {
            var evt = new BerthEvent
            {
                Seq = ++_seq,
                Type = type,
                Action = action,
                Target = target,
                Time = time.GetUtcNow(),
                JobId = jobId,
                Message = message,
            };
            _recent.AddLast(evt);
            if (_recent.Count > Backlog)
            {
                _recent.RemoveFirst();
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(evt);
            }

            foreach (var observer in _observers)
            {
                observer(evt);
            }

            return evt;
        }
    }

    /// <summary>
    /// Calls <paramref name="observer"/> with every event before <see cref="Publish"/> returns (under the broker's lock:
    /// it must be quick and publish nothing), so a service knows of a stop before the job that made it finishes.
    /// </summary>
    public void Observe(Action<BerthEvent> observer)
    {
        lock (_lock)
        {
            _observers.Add(observer);
        }
    }

    public BerthEvent Lifecycle(string action, string container, string? jobId = null, string? message = null) =>
        Publish("lifecycle", action, container, jobId, message);

    /// <summary>Events after <paramref name="since"/> (from the backlog), then live ones, until cancelled.</summary>
    public async IAsyncEnumerable<BerthEvent> SubscribeAsync(long? since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<BerthEvent>(new UnboundedChannelOptions { SingleReader = true });
        List<BerthEvent> replay;
        lock (_lock)
        {
            replay = since is null ? [] : [.. _recent.Where(e => e.Seq > since)];
            _subscribers.Add(channel);
        }

        try
        {
            foreach (var evt in replay)
            {
                yield return evt;
            }

            await foreach (var evt in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return evt;
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
