using System.Collections.Concurrent;
using Berth.Contracts;

namespace Berth.Daemon.Health;

/// <summary>The health and restart count of each watched container, as the monitor last found them (lists and metrics read it).</summary>
public sealed class HealthStates
{
    private readonly ConcurrentDictionary<string, HealthState> _states = new(StringComparer.Ordinal);

    /// <summary>Its state, or an empty one (no health, no restarts) when Berth does not watch it.</summary>
    public HealthState Of(string name) => _states.TryGetValue(name, out var state) ? state : HealthState.None;

    internal void Set(string name, HealthState state) => _states[name] = state;

    internal void Remove(string name) => _states.TryRemove(name, out _);

    internal IEnumerable<string> Names => _states.Keys;
}
