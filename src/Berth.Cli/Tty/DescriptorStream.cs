using System.Runtime.InteropServices;

namespace Berth.Cli.Tty;

/// <summary>
/// One of this process's standard descriptors read and written with plain read(2)/write(2), so every byte moves the
/// descriptor's own file offset. FileStream uses pread/pwrite at a position of its own on a seekable file, which loses
/// output when a shell redirects several commands into one file ({ echo a; berth exec ...; echo c; } > log).
/// </summary>
internal sealed class DescriptorStream(int fd, FileAccess access) : Stream
{
    public override bool CanRead => access.HasFlag(FileAccess.Read);

    public override bool CanWrite => access.HasFlag(FileAccess.Write);

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Null when <paramref name="fd"/> is closed (or not open for <paramref name="access"/>).</summary>
    public static DescriptorStream? TryOpen(int fd, FileAccess access)
    {
        var flags = LibC.fcntl(fd, LibC.FGetFl);
        if (flags < 0)
        {
            return null;
        }

        var mode = flags & LibC.OAccMode;
        var usable = access == FileAccess.Read ? mode is LibC.ORdonly or LibC.ORdwr : mode is LibC.OWronly or LibC.ORdwr;
        return usable ? new DescriptorStream(fd, access) : null;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        if (!CanRead)
        {
            throw new NotSupportedException();
        }

        fixed (byte* p = buffer)
        {
            while (true)
            {
                var read = LibC.read(fd, p, (nuint)buffer.Length);
                if (read >= 0)
                {
                    return (int)read;
                }

                ThrowUnlessInterrupted();
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        if (!CanWrite)
        {
            throw new NotSupportedException();
        }

        fixed (byte* p = buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var written = LibC.write(fd, p + done, (nuint)(buffer.Length - done));
                if (written >= 0)
                {
                    done += (int)written;
                    continue;
                }

                ThrowUnlessInterrupted();
            }
        }
    }

    // Output goes straight to the descriptor (the exec session writes whole frames), so the async forms run inline.
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private static void ThrowUnlessInterrupted()
    {
        var errno = Marshal.GetLastPInvokeError();
        if (errno != LibC.Eintr)
        {
            throw new IOException(Marshal.GetPInvokeErrorMessage(errno));
        }
    }
}
