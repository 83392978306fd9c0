namespace Berth.Daemon.Consoles;

/// <summary>
/// The last output of a session, addressed by absolute byte offsets. While a client is attached, writing waits until
/// the client has been sent what would be overwritten (a reading client sees every byte, at its own pace); while
/// none is, the oldest output is overwritten, so the program keeps running and a reattach replays the latest.
/// </summary>
public sealed class ConsoleOutput(int capacity)
{
    private readonly byte[] _ring = new byte[capacity];
    private readonly object _gate = new();
    private long _written;
    private long? _reader;
    private bool _closed;

    public long Written
    {
        get
        {
            lock (_gate)
            {
                return _written;
            }
        }
    }

    /// <summary>Blocks until up to <paramref name="wanted"/> bytes may be written; 0 once closed.</summary>
    public int WaitForSpace(int wanted)
    {
        lock (_gate)
        {
            while (!_closed && _reader is { } reader && _written - reader >= capacity)
            {
                Monitor.Wait(_gate);
            }

            return _closed ? 0 : _reader is { } r ? (int)Math.Min(wanted, capacity - (_written - r)) : wanted;
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            while (!data.IsEmpty)
            {
                var at = (int)(_written % capacity);
                var n = Math.Min(data.Length, capacity - at);
                data[..n].CopyTo(_ring.AsSpan(at));
                data = data[n..];
                _written += n;
            }
        }
    }

    /// <summary>
    /// Copies output from <paramref name="offset"/> (moved up to the oldest byte kept when that is gone) and returns how
    /// many bytes it copied, 0 when there is nothing new.
    /// </summary>
    public int Read(ref long offset, Span<byte> destination)
    {
        lock (_gate)
        {
            offset = Math.Max(offset, _written - Math.Min(_written, capacity));
            var n = (int)Math.Min(destination.Length, _written - offset);
            for (var done = 0; done < n;)
            {
                var at = (int)((offset + done) % capacity);
                var chunk = Math.Min(n - done, capacity - at);
                _ring.AsSpan(at, chunk).CopyTo(destination[done..]);
                done += chunk;
            }

            return n;
        }
    }

    /// <summary>Where a replay starts: the oldest byte kept, or just after its first line break once older output was overwritten (no half line).</summary>
    public long ReplayStart()
    {
        lock (_gate)
        {
            var start = _written - Math.Min(_written, capacity);
            if (start == 0)
            {
                return 0;
            }

            for (var i = start; i < _written && i < start + 4096; i++)
            {
                if (_ring[(int)(i % capacity)] == (byte)'\n')
                {
                    return i + 1;
                }
            }

            return start;
        }
    }

    /// <summary>A client is attached and has been sent everything before <paramref name="offset"/>; null when none is.</summary>
    public void SetReader(long? offset)
    {
        lock (_gate)
        {
            _reader = offset;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Wakes the writer for good: the session is ending.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
