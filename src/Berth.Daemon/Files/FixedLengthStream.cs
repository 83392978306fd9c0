using Microsoft.Win32.SafeHandles;

namespace Berth.Daemon.Files;

/// <summary>
/// Exactly <see cref="Length"/> bytes of an open file, the size a tar header announced: a file the container grows
/// meanwhile is cut there, one it shrinks is padded with zeros, so the archive stays well formed.
/// </summary>
public sealed class FixedLengthStream(SafeFileHandle file, long length) : Stream
{
    private long _position;
    private bool _ended;

    public override bool CanRead => true;

    // The tar writer asks for Length and Position; nothing seeks.
    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0)
        {
            return 0;
        }

        var read = _ended ? 0 : RandomAccess.Read(file, buffer[..wanted], _position);
        if (read == 0)
        {
            _ended = true;
            buffer[..wanted].Clear();
            read = wanted;
        }

        _position += read;
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin) =>
        origin == SeekOrigin.Current && offset == 0 ? _position : throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
