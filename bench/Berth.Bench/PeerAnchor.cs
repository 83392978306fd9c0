using System.Net.Http;
using System.Net.Sockets;

namespace Berth.Bench;

/// <summary>What <see cref="PeerBenchmark"/> times on the other side: LXD, or raw lxc-* where LXD is not there.</summary>
public abstract class PeerAnchor : IAsyncDisposable
{
    public abstract string Label { get; }

    /// <summary>Whether its containers get addresses (the ping row needs them).</summary>
    public virtual bool Networked => true;

    public virtual Task PrepareAsync(BenchHost host) => Task.CompletedTask;

    /// <summary>Creates and starts a busybox container; the time until the command returned.</summary>
    public abstract Task<TimeSpan> LaunchAsync(string name);

    public abstract Task<TimeSpan> ExecTrueAsync(string name);

    public abstract Task<TimeSpan> ListCliAsync();

    public abstract Task<TimeSpan> ListApiAsync();

    /// <summary>Stops and deletes them with one command; its time.</summary>
    public abstract Task<TimeSpan> DeleteAsync(IReadOnlyList<string> names);

    /// <summary>The container's IPv4 address once it has one.</summary>
    public abstract Task<string> AddressAsync(string name);

    /// <summary>The daemon's resident memory in MB, where there is a daemon.</summary>
    public abstract double? DaemonRss();

    public abstract ValueTask DisposeAsync();

    /// <summary>An HTTP client over a Unix socket (the daemons' local API).</summary>
    public static HttpClient UnixHttp(string socketPath) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = new Uri("http://localhost/") };

    /// <summary>One GET to its full body; its time.</summary>
    public static async Task<TimeSpan> GetAsync(HttpClient http, string path)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var answer = await http.GetAsync(path);
        answer.EnsureSuccessStatusCode();
        var body = await answer.Content.ReadAsByteArrayAsync();
        watch.Stop();
        return body.Length > 0 ? watch.Elapsed : throw new InvalidOperationException($"GET {path}: empty answer");
    }
}
