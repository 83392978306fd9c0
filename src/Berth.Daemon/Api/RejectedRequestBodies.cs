using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Berth.Contracts;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.Daemon.Api;

/// <summary>
/// Kestrel refuses a request it cannot parse (a %00 in the path, a path too long) itself, before any middleware
/// runs, with a 4xx, no body and a closed connection. This connection middleware gives that one response a
/// problem document, so every refusal says what was wrong; every other byte passes as written.
/// </summary>
public static class RejectedRequestBodies
{
    private static readonly byte[] StatusLine = "HTTP/1.1 4"u8.ToArray();
    private static readonly byte[] EmptyClosing = "\r\nContent-Length: 0\r\nConnection: close\r\n"u8.ToArray();
    private static readonly byte[] HeadersEnd = "\r\n\r\n"u8.ToArray();

    public static IConnectionBuilder UseRejectedRequestBodies(this ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        return listen.Use(next => connection =>
        {
            connection.Transport = new Transport(connection.Transport);
            return next(connection);
        });
    }

    /// <summary>The response with a body, or null when <paramref name="written"/> is not Kestrel's own empty refusal.</summary>
    internal static byte[]? Rewrite(ReadOnlySpan<byte> written)
    {
        if (!written.StartsWith(StatusLine))
        {
            return null;
        }

        var lineEnd = written.IndexOf("\r\n"u8);
        var headersEnd = written.IndexOf(HeadersEnd);
        if (lineEnd < 12 || headersEnd < 0 || !written[lineEnd..].StartsWith(EmptyClosing))
        {
            return null;
        }

        var status = int.Parse(Encoding.ASCII.GetString(written.Slice(9, 3)), System.Globalization.CultureInfo.InvariantCulture);
        var (title, detail) = status switch
        {
            414 => ("Request target too long", "the path and query are longer than berthd reads; names in paths are at most 63 characters."),
            431 => ("Request headers too large", "the request's headers are larger than berthd reads."),
            _ => ("Malformed request", "the request line or headers could not be read: a path may not hold NUL (%00) or other control characters. Names in paths are 1-63 lowercase letters, digits and hyphens, starting with a letter."),
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new ProblemInfo { Type = $"https://httpstatuses.io/{status}", Title = title, Status = status, Detail = detail },
            BerthJson.Options);
        var text = new List<byte>(written.Length + body.Length + 64);
        text.AddRange(written[..lineEnd]);
        text.AddRange(Encoding.ASCII.GetBytes($"\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n"));
        text.AddRange(written[(lineEnd + EmptyClosing.Length)..(headersEnd + HeadersEnd.Length)]);
        text.AddRange(body);
        text.AddRange(written[(headersEnd + HeadersEnd.Length)..]);
        return [.. text];
    }

    private sealed class Transport(IDuplexPipe inner) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;

        public PipeWriter Output { get; } = new Writer(inner.Output);
    }

    /// <summary>Passes every chunk through untouched, but looks at each one as it is committed.</summary>
    private sealed class Writer(PipeWriter inner) : PipeWriter
    {
        private Memory<byte> _last;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes)
        {
            if (bytes > 0 && bytes <= _last.Length && Rewrite(_last.Span[..bytes]) is { } replaced)
            {
                // Nothing of the empty refusal is committed; the one with a body is written in its place.
                inner.Advance(0);
                _last = default;
                inner.Write(replaced);
                return;
            }

            _last = default;
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => _last = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }
}
