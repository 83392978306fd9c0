using System.Net;

namespace Berth.Daemon.Access;

/// <summary>
/// Slows guessing without letting a guesser lock the owner out. Wrong logins are counted per account and per client
/// address (every local user shares 127.0.0.1, so neither count may refuse the right credential for long). Past a
/// count's threshold, attempts are let through to the credential check at most once per probe interval, which doubles
/// with each further failure up to <see cref="MaxProbeInterval"/>; the others are told how long to wait. So a guesser
/// gets one try per interval, and the owner with the right credential gets in within one interval. Counts fade
/// <see cref="Window"/> after the last failure. Accounts are keyed by name, known or not, so a refusal says nothing
/// about whether one exists. An attempt from a recognised device (<see cref="LoginDevices"/>) skips the shared counts
/// until that device itself has failed <see cref="DeviceThreshold"/> times.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int AddressThreshold = 5;
    public const int AccountThreshold = 10;
    public const int DeviceThreshold = 5;
    public static readonly TimeSpan FirstProbeInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxProbeInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Beyond this many tracked keys, faded ones are dropped, so a stream of names cannot grow memory without end.</summary>
    private const int PruneAbove = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Failures> _keys = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether this attempt may have its credential checked now (null) or how long to wait first. Letting it through
    /// uses up the current probe of every count over its threshold, so call it once per attempt.
    /// </summary>
    public TimeSpan? Admit(string account, IPAddress? address, string? device = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (device is not null && (!_keys.TryGetValue(DeviceKey(device), out var own) || now - own.Last > Window || own.Count < DeviceThreshold))
            {
                return null;
            }

            var guards = new List<(Failures Failures, int Beyond)>(2);
            foreach (var (key, threshold) in Keys(account, address))
            {
                if (_keys.TryGetValue(key, out var failures) && now - failures.Last <= Window && failures.Count >= threshold)
                {
                    guards.Add((failures, failures.Count - threshold));
                }
            }

            var nextProbe = guards.Count == 0 ? now : guards.Max(g => g.Failures.NextProbe);
            if (nextProbe > now)
            {
                return nextProbe - now;
            }

            foreach (var (failures, beyond) in guards)
            {
                failures.NextProbe = now + Interval(beyond);
            }

            return null;
        }
    }

    /// <summary>The credential checked after <see cref="Admit"/> was wrong.</summary>
    public void Failed(string account, IPAddress? address, string? device = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var keys = Keys(account, address);
            foreach (var (key, threshold) in device is null ? keys : [.. keys, (DeviceKey(device), DeviceThreshold)])
            {
                if (!_keys.TryGetValue(key, out var failures) || now - failures.Last > Window)
                {
                    failures = new Failures();
                    _keys[key] = failures;
                }

                failures.Count++;
                failures.Last = now;
                if (failures.Count >= threshold)
                {
                    // The probe this attempt used was sized before it failed; the next one is one doubling further off.
                    failures.NextProbe = Max(failures.NextProbe, now + Interval(failures.Count - threshold));
                }
            }

            if (_keys.Count > PruneAbove)
            {
                foreach (var stale in _keys.Where(k => now - k.Value.Last > Window).Select(k => k.Key).ToList())
                {
                    _keys.Remove(stale);
                }
            }
        }
    }

    private static TimeSpan Interval(int beyondThreshold) =>
        TimeSpan.FromTicks(Math.Min(MaxProbeInterval.Ticks, FirstProbeInterval.Ticks << Math.Clamp(beyondThreshold, 0, 30)));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static (string Key, int Threshold)[] Keys(string account, IPAddress? address) =>
    [
        ("account:" + account, AccountThreshold),
        ("address:" + (address is null ? "unknown" : address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString()), AddressThreshold),
    ];

    private static string DeviceKey(string device) => "device:" + device;

    private sealed class Failures
    {
        public int Count { get; set; }

        public DateTimeOffset Last { get; set; }

        public DateTimeOffset NextProbe { get; set; }
    }
}
