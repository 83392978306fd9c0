namespace Berth.Daemon.Stacks;

/// <summary>A command berthd runs in the container every interval; exit 0 is healthy, <see cref="Retries"/> failures in a row unhealthy.</summary>
public sealed record StackHealthcheck(string Command, TimeSpan Interval, TimeSpan Timeout, int Retries);
