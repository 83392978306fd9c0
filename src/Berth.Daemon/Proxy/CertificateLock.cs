namespace Berth.Daemon.Proxy;

/// <summary>
/// One certificate change at a time between the jobs that target different things: an order installing what lego
/// obtained (target cert:NAME) and a removal (target proxy), so a removal never lands between an order's last check
/// and its install, leaving a certificate nobody asked for.
/// </summary>
public sealed class CertificateLock
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Held(_gate);
    }

    private sealed class Held(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
