using System.Collections.Concurrent;
using System.Net;

namespace Berth.Daemon.Access;

/// <summary>Slows guessing: after 5 failed logins from one address within 15 minutes, that address waits out the window.</summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the address must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(IPAddress? address)
    {
        var queue = _failures.GetOrAdd(Key(address), _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            var now = time.GetUtcNow();
            while (queue.Count > 0 && now - queue.Peek() > Window)
            {
                queue.Dequeue();
            }

            return queue.Count >= MaxFailures ? queue.Peek() + Window - now : null;
        }
    }

    public void Failed(IPAddress? address)
    {
        var queue = _failures.GetOrAdd(Key(address), _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            queue.Enqueue(time.GetUtcNow());
        }
    }

    public void Succeeded(IPAddress? address) => _failures.TryRemove(Key(address), out _);

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";
}
