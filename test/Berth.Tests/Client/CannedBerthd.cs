using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Tests.Client;

/// <summary>
/// Stands in for berthd on a Unix socket in a fresh temp directory: each request gets the next canned response and
/// the connection is closed. Lets client and CLI tests exercise real HTTP without a daemon.
/// </summary>
internal sealed class CannedBerthd : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly Queue<CannedResponse> responses;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly List<string> requests = [];
    private readonly List<string> bodies = [];
    private readonly List<string> heads = [];

    private CannedBerthd(DirectoryInfo directory, bool overTcp, IEnumerable<CannedResponse> responses)
    {
        StateDirectory = directory.FullName;
        this.responses = new Queue<CannedResponse>(responses);
        if (overTcp)
        {
            listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture)}/");
        }
        else
        {
            listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(StateDirectory, "unix.socket")));
        }

        listener.Listen();
        loop = Task.Run(ServeAsync);
    }

    public string StateDirectory { get; }

    /// <summary>The loopback HTTP address when started with <see cref="StartTcp"/>.</summary>
    public Uri? BaseAddress { get; }

    /// <summary>"METHOD /path?query" of each request received, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    public IReadOnlyList<string> Bodies
    {
        get
        {
            lock (requests)
            {
                return [.. bodies];
            }
        }
    }

    /// <summary>Request headers of each request, in order.</summary>
    public IReadOnlyList<string> Heads
    {
        get
        {
            lock (requests)
            {
                return [.. heads];
            }
        }
    }

    public static CannedBerthd Start(params CannedResponse[] responses) =>
        new(Directory.CreateTempSubdirectory("berth-test-"), overTcp: false, responses);

    public static CannedBerthd StartTcp(params CannedResponse[] responses) =>
        new(Directory.CreateTempSubdirectory("berth-test-"), overTcp: true, responses);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop this way.
        }

        stop.Dispose();
        Directory.Delete(StateDirectory, recursive: true);
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            using var connection = await listener.AcceptAsync(stop.Token);
            try
            {
                await AnswerAsync(connection);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // A client that hung up early is the test's business, not the stand-in's.
            }
        }
    }

    private async Task AnswerAsync(Socket connection)
    {
        await using var stream = new NetworkStream(connection, ownsSocket: false);
        var (requestLine, requestHead, body) = await ReadRequestAsync(stream);
        CannedResponse response;
        lock (requests)
        {
            requests.Add(requestLine);
            heads.Add(requestHead);
            bodies.Add(body);
            response = responses.Count > 0 ? responses.Dequeue() : CannedResponse.Problem(500, "Out of answers", "the test gave no more canned responses");
        }

        byte[] content = Encoding.UTF8.GetBytes(response.Body);
        string responseHead = string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/1.1 {response.Status} Canned\r\nContent-Type: {response.ContentType}\r\nContent-Length: {content.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(responseHead), stop.Token);
        await stream.WriteAsync(content, stop.Token);
        connection.Shutdown(SocketShutdown.Both);
    }

    private static async Task<(string RequestLine, string Head, string Body)> ReadRequestAsync(Stream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd(received)) < 0)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        if (headerEnd < 0)
        {
            throw new IOException("the client closed the connection before a whole request");
        }

        string head = Encoding.ASCII.GetString([.. received], 0, headerEnd);
        string[] lines = head.Split("\r\n");
        int length = lines
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture))
            .FirstOrDefault();
        int bodyStart = headerEnd + 4;
        while (received.Count < bodyStart + length)
        {
            int read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        string body = Encoding.UTF8.GetString([.. received], bodyStart, Math.Max(0, received.Count - bodyStart));
        string[] requestLine = lines[0].Split(' ');
        return ($"{requestLine[0]} {requestLine[1]}", head, body);
    }

    private static int IndexOfHeaderEnd(List<byte> bytes)
    {
        for (int i = 3; i < bytes.Count; i++)
        {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n')
            {
                return i - 3;
            }
        }

        return -1;
    }
}
