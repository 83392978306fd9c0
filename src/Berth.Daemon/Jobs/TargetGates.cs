namespace Berth.Daemon.Jobs;

/// <summary>
/// Lets one job at a time act on a target. A gate exists only while jobs for its target wait or run, so the targets
/// that come and go (every container name ever used) leave nothing behind in a long-running daemon.
/// </summary>
public sealed class TargetGates
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>How many targets have a gate now (jobs waiting or running for them).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>Whether a job is inside the target's gate right now.</summary>
    public bool IsBusy(string target)
    {
        lock (_lock)
        {
            return _gates.TryGetValue(target, out var gate) && gate.Inside;
        }
    }

    /// <summary>Waits until no other job acts on <paramref name="target"/>; pair with <see cref="Leave"/>.</summary>
    public async Task EnterAsync(string target)
    {
        Gate? gate;
        lock (_lock)
        {
            if (!_gates.TryGetValue(target, out gate))
            {
                gate = new Gate();
                _gates[target] = gate;
            }

            gate.Users++;
        }

        await gate.Semaphore.WaitAsync().ConfigureAwait(false);
        lock (_lock)
        {
            gate.Inside = true;
        }
    }

    public void Leave(string target)
    {
        lock (_lock)
        {
            var gate = _gates[target];
            gate.Inside = false;
            gate.Semaphore.Release();
            if (--gate.Users == 0)
            {
                _gates.Remove(target);
                gate.Semaphore.Dispose();
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Jobs waiting at or inside the gate.</summary>
        public int Users { get; set; }

        public bool Inside { get; set; }
    }
}
