using System.Net;
using Berth.Daemon.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Proxy;

/// <summary>Where nginx sends the panel's route: berthd's own loopback HTTP listener (--http), or nowhere without one.</summary>
public sealed class PanelUpstream(IOptions<BerthOptions> options)
{
    /// <summary>What the container column shows for the panel's route; no container can have this name.</summary>
    public const string Marker = "(panel)";

    public IPEndPoint? Endpoint { get; } = options.Value.Http is { Length: > 0 } http ? DaemonCommandLine.ParseLoopback(http) : null;

    /// <summary>The listener's address as nginx's upstream takes it: bracketed when IPv6.</summary>
    public string? Address => Endpoint is not { } endpoint ? null
        : endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
}
