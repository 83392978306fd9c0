using System.Net;
using Microsoft.AspNetCore.Connections.Features;

namespace Berth.Daemon.Access;

/// <summary>
/// Whether a request was made by the panel's own page, judged by the headers a browser sets and a page cannot change:
/// Origin (on websockets, on every non-GET fetch, on cross-origin reads) and Sec-Fetch-Site. The own origin is the
/// address the connection really arrived on, never the Host header, which a page on a rebound name controls.
/// </summary>
public static class BrowserOrigin
{
    /// <summary>The connection item the HTTPS listener sets to the DNS names of its certificate.</summary>
    public const string CertificateNamesItem = "berth.certificate-names";

    /// <summary>Why the request must be refused as coming from another page, or null when nothing says it does.</summary>
    public static string? Refusal(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var site = context.Request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site")
        {
            return $"the request came from a page of another origin (Sec-Fetch-Site: {site}); use the panel at {Own(context)}.";
        }

        var origin = context.Request.Headers.Origin;
        if (origin.Count == 0 || origin.Count == 1 && IsOwn(origin.ToString(), context))
        {
            return null;
        }

        return $"the request came from a page at '{origin}'; the panel session is only accepted from the panel's own page, {Own(context)}{(context.Features.Get<Hosting.ForwardedOrigin>() is null ? " (or the same port on localhost)" : "")}.";
    }

    private static bool IsOwn(string origin, HttpContext context)
    {
        if (context.Features.Get<Hosting.ForwardedOrigin>() is { } forwarded)
        {
            // Through berthd's own nginx (the panel's route) the page's origin is the public one, and only that.
            return Uri.TryCreate(origin, UriKind.Absolute, out var page) && page.AbsolutePath == "/" && page.UserInfo.Length == 0
                && page.Scheme == forwarded.Scheme && page.Port == forwarded.Port && string.Equals(page.Host, forwarded.Host, StringComparison.OrdinalIgnoreCase);
        }

        var local = context.Connection.LocalIpAddress;
        if (local is null || !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/" || uri.UserInfo.Length > 0
            || uri.Scheme != context.Request.Scheme || uri.Port != context.Connection.LocalPort)
        {
            return false;
        }

        if (uri.HostNameType == UriHostNameType.Dns)
        {
            // Over HTTPS also the names the served certificate holds: a rebinding page's name is not among them.
            return string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
                || context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(CertificateNamesItem, out var names) == true
                    && names is IReadOnlySet<string> served && served.Contains(uri.Host);
        }

        return IPAddress.TryParse(uri.DnsSafeHost, out var address)
            && (address.Equals(local) || local.IsIPv4MappedToIPv6 && address.Equals(local.MapToIPv4()));
    }

    private static string Own(HttpContext context)
    {
        if (context.Features.Get<Hosting.ForwardedOrigin>() is { } forwarded)
        {
            return forwarded.ToString();
        }

        var local = context.Connection.LocalIpAddress;
        var host = local is null ? "localhost" : local.IsIPv4MappedToIPv6 ? local.MapToIPv4().ToString() : local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
        return $"{context.Request.Scheme}://{host}:{context.Connection.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
