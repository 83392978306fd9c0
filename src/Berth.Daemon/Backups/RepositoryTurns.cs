namespace Berth.Daemon.Backups;

/// <summary>
/// One turn at a time per target: restic 0.14 cannot wait for a repository lock, so backup, restore, prune and check
/// of one repository queue here instead of failing on each other's locks.
/// </summary>
public sealed class RepositoryTurns
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

    /// <summary>Waits for <paramref name="target"/>'s turn; dispose the result to give it up.</summary>
    public async Task<IDisposable> TakeAsync(string target, CancellationToken cancellationToken)
    {
        SemaphoreSlim turn;
        lock (_lock)
        {
            if (!_turns.TryGetValue(target, out turn!))
            {
                turn = new SemaphoreSlim(1, 1);
                _turns[target] = turn;
            }
        }

        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _held.Add(target);
        }

        return new Turn(this, target, turn);
    }

    /// <summary>Whether a Berth job holds <paramref name="target"/>'s turn now (then a lock in its repository is not stale).</summary>
    public bool IsHeld(string target)
    {
        lock (_lock)
        {
            return _held.Contains(target);
        }
    }

    private sealed class Turn(RepositoryTurns owner, string target, SemaphoreSlim semaphore) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            lock (owner._lock)
            {
                owner._held.Remove(target);
            }

            semaphore.Release();
        }
    }
}
