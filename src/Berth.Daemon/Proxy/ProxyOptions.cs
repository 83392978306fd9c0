namespace Berth.Daemon.Proxy;

/// <summary>Settings of the proxy, bound from Berth:Proxy (--proxy-http, --proxy-https).</summary>
public sealed class ProxyOptions
{
    /// <summary>Where nginx takes plain HTTP, as ADDRESS:PORT, or "off" for no proxy at all. Default 0.0.0.0:80.</summary>
    public string Http { get; set; } = "0.0.0.0:80";

    /// <summary>Where nginx takes HTTPS, as ADDRESS:PORT, or "off". Default 0.0.0.0:443.</summary>
    public string Https { get; set; } = "0.0.0.0:443";

    /// <summary>The nginx binary. Default nginx (from PATH).</summary>
    public string Nginx { get; set; } = "nginx";

    /// <summary>The HTTP listener, or null when the proxy is off.</summary>
    public System.Net.IPEndPoint? HttpEndpoint => Parse(Http, "--proxy-http");

    /// <summary>The HTTPS listener, or null when it is off.</summary>
    public System.Net.IPEndPoint? HttpsEndpoint => Parse(Https, "--proxy-https");

    /// <summary>The proxy's port in a tcp range and the switch that gives it, or null: a forward there would take it from nginx.</summary>
    public (int Port, string Switch)? Claimed(string protocol, int first, int last)
    {
        if (protocol != "tcp")
        {
            return null;
        }

        foreach (var (endpoint, name) in new[] { (HttpEndpoint, "--proxy-http"), (HttpsEndpoint, "--proxy-https") })
        {
            if (endpoint is { Port: var port } && port >= first && port <= last)
            {
                return (port, name);
            }
        }

        return null;
    }

    /// <summary>Throws with the switch's name when either listener is neither ADDRESS:PORT nor off.</summary>
    public void Validate()
    {
        _ = HttpEndpoint;
        _ = HttpsEndpoint;
        if (HttpEndpoint is { } http && HttpsEndpoint is { } https && http.Equals(https))
        {
            throw new ArgumentException($"--proxy-http and --proxy-https are both {Http}; give them different ports");
        }
    }

    private static System.Net.IPEndPoint? Parse(string text, string name)
    {
        if (string.IsNullOrEmpty(text) || text == "off")
        {
            return null;
        }

        return System.Net.IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port is > 0 and <= 65535 && text.Contains(':', StringComparison.Ordinal)
            ? endpoint
            : throw new ArgumentException($"{name} {text}: expected ADDRESS:PORT such as 0.0.0.0:80 or [::]:80, or off");
    }
}
