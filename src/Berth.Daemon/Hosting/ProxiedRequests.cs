using System.Globalization;
using System.Net;

namespace Berth.Daemon.Hosting;

/// <summary>
/// Takes a request that came through berthd's own nginx (the panel's route) as the client made it: its address,
/// scheme and host from X-Forwarded-For/-Proto/-Host/-Port. Only from loopback, and only with the proxy's secret
/// header (<see cref="ProxySecret"/>); anything else, a client's own X-Forwarded-For included, changes nothing.
/// The secret header is removed from every request, so nothing after this sees or logs it.
/// </summary>
public sealed class ProxiedRequests(RequestDelegate next, ProxySecret secret)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Request.Headers;
        if (headers.Remove(ProxySecret.HeaderName, out var given)
            && context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
            && given.Count == 1 && secret.Matches(given.ToString())
            && IPAddress.TryParse(headers["X-Forwarded-For"].ToString(), out var client)
            && headers["X-Forwarded-Proto"].ToString() is "http" or "https"
            && headers["X-Forwarded-Host"].ToString() is { Length: > 0 } host
            && int.TryParse(headers["X-Forwarded-Port"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            var scheme = headers["X-Forwarded-Proto"].ToString();
            context.Connection.RemoteIpAddress = client;
            context.Request.Scheme = scheme;
            context.Request.Host = port == (scheme == "https" ? 443 : 80) ? new HostString(host) : new HostString(host, port);
            context.Features.Set(new ForwardedOrigin(scheme, host, port));
        }

        return next(context);
    }
}
