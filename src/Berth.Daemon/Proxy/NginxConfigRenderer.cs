using System.Globalization;
using System.Text;

namespace Berth.Daemon.Proxy;

/// <summary>
/// Renders the whole nginx.conf from the routes: one server per domain, one location per path, longest prefix first
/// as nginx would pick it anyway, so the text is the same for the same routes (and an unchanged store reloads nothing).
/// </summary>
public sealed class NginxConfigRenderer(ProxyPaths paths)
{
    /// <summary>
    /// The configuration for <paramref name="routes"/>, each with its target address; a domain a certificate covers is
    /// also served on the HTTPS listener (an exact name before a wildcard, then by certificate name). The panel's routes
    /// carry <paramref name="panelSecret"/> to berthd, which needs it to take their forwarded headers.
    /// </summary>
    public string Render(IReadOnlyList<ProxyRoute> routes, System.Net.IPEndPoint http, System.Net.IPEndPoint? https = null, IReadOnlyList<ProxyCertificate>? certificates = null, string? panelSecret = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(http);
        certificates ??= [];
        var listen = Listen(http);
        var challenge = Fill(NginxTemplate.Challenge, new() { ["WEBROOT"] = Checked(paths.AcmeWebroot) });
        var servers = new StringBuilder();
        var tls = false;
        foreach (var domain in routes.GroupBy(r => r.Domain, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var certificate = https is null ? null : ServedCertificate(domain.Key, domain.ToList(), certificates);
            var locations = new StringBuilder();
            var plain = new StringBuilder();
            foreach (var route in domain.OrderByDescending(r => r.Path.Length).ThenBy(r => r.Path, StringComparer.Ordinal))
            {
                var location = route.Panel ? PanelLocation(route, panelSecret) : Fill(NginxTemplate.Location, new()
                {
                    ["CONTAINER"] = Checked(route.Container),
                    ["PATH"] = Checked(route.Path),
                    ["ACCESS_LOG"] = Checked(paths.AccessLog(route.Domain, route.Path)),
                    ["UPSTREAM"] = UpstreamName(route),
                    ["MAX_BODY"] = Checked(route.MaxBody),
                    ["TIMEOUT"] = Checked(route.Timeout),
                    ["UPGRADE"] = route.Websocket ? NginxTemplate.Upgrade : NginxTemplate.NoUpgrade,
                });
                locations.Append(location);

                // Redirect only once HTTPS can answer: before the certificate is there, the route serves HTTP.
                plain.Append(route.RedirectHttps && certificate is not null
                    ? Fill(NginxTemplate.Redirect, new()
                    {
                        ["CONTAINER"] = Checked(route.Container),
                        ["PATH"] = Checked(route.Path),
                        ["ACCESS_LOG"] = Checked(paths.AccessLog(route.Domain, route.Path)),
                        ["HTTPS_PORT"] = https!.Port == 443 ? "" : ":" + https.Port.ToString(CultureInfo.InvariantCulture),
                    })
                    : location);
            }

            servers.Append(Fill(NginxTemplate.Server, new()
            {
                ["HTTP"] = listen,
                ["DOMAIN"] = Checked(domain.Key),
                ["CHALLENGE"] = challenge,
                ["LOCATIONS"] = plain.ToString(),
            }));
            if (certificate is not null)
            {
                tls = true;
                servers.Append(Fill(NginxTemplate.TlsServer, new()
                {
                    ["HTTPS"] = Listen(https!),
                    ["DOMAIN"] = Checked(domain.Key),
                    ["CERTIFICATE"] = Checked(paths.CertificateFile(certificate.Name)),
                    ["KEY"] = Checked(paths.KeyFile(certificate.Name)),
                    ["LOCATIONS"] = locations.ToString(),
                }));
            }
        }

        return Fill(NginxTemplate.Main, new()
        {
            ["ERROR_LOG"] = Checked(paths.ErrorLog),
            ["TEMP"] = Checked(paths.Temp),
            ["HTTP"] = listen,
            ["HTTP_DUAL"] = DualStack(http),
            ["CHALLENGE"] = challenge,
            ["TLS_DEFAULT"] = tls ? Fill(NginxTemplate.TlsDefault, new() { ["HTTPS"] = Listen(https!), ["HTTPS_DUAL"] = DualStack(https!) }) : "",
            ["UPSTREAMS"] = string.Concat(routes.Select(r => (Name: UpstreamName(r), Target: Checked(Target(r)))).Distinct().OrderBy(u => u.Name, StringComparer.Ordinal)
                .Select(u => Fill(NginxTemplate.Upstream, new() { ["UPSTREAM"] = u.Name, ["TARGET"] = u.Target }))),
            ["SERVERS"] = servers.ToString(),
        });
    }

    private string PanelLocation(ProxyRoute route, string? secret) => Fill(NginxTemplate.PanelLocation, new()
    {
        ["CONTAINER"] = Checked(route.Container),
        ["ACCESS_LOG"] = Checked(paths.AccessLog(route.Domain, route.Path)),
        ["UPSTREAM"] = UpstreamName(route),
        ["DOMAIN"] = Checked(route.Domain),
        ["SECRET"] = Checked(secret ?? throw new ArgumentException("the panel's route needs the proxy secret", nameof(secret))),
    });

    private static string Target(ProxyRoute route) => $"{route.TargetAddress}:{route.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>berth_10_20_0_2_80: the address and port, with what nginx would not take in a name made '_'.</summary>
    private static string UpstreamName(ProxyRoute route) =>
        Checked("berth_" + string.Concat(Target(route).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')));

    /// <summary>The certificate nginx serves for a domain: one naming it exactly first, else a wildcard covering it.</summary>
    public static ProxyCertificate? CertificateFor(string domain, IReadOnlyList<ProxyCertificate> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var covering = certificates.Where(c => c.Covers(domain)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return covering.FirstOrDefault(c => c.Domains.Contains(domain, StringComparer.OrdinalIgnoreCase)) ?? covering.FirstOrDefault();
    }

    /// <summary>
    /// The certificate HTTPS serves for a domain, following its routes' --tls (they agree, the service sees to it):
    /// off none, a name that certificate, auto its ACME certificate, and otherwise (or before that exists) any that covers it.
    /// </summary>
    public static ProxyCertificate? ServedCertificate(string domain, IReadOnlyList<ProxyRoute> routes, IReadOnlyList<ProxyCertificate> certificates)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(certificates);
        return routes.Select(r => r.Tls).FirstOrDefault(t => t is not null) switch
        {
            "off" => null,
            "auto" => certificates.FirstOrDefault(c => c.Name == AcmeRequest.NameFor(domain) && c.Covers(domain)) ?? CertificateFor(domain, certificates),
            { } name => certificates.FirstOrDefault(c => c.Name == name && c.Covers(domain)),
            null => CertificateFor(domain, certificates),
        };
    }

    // nginx binds [::] for IPv6 only unless told otherwise; one socket then takes IPv4 too (set once per address:port).
    private static string DualStack(System.Net.IPEndPoint endpoint) =>
        endpoint.Address.Equals(System.Net.IPAddress.IPv6Any) ? " ipv6only=off" : "";

    private static string Listen(System.Net.IPEndPoint endpoint) => endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{endpoint.Address}]:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{endpoint.Address}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Values were validated where they entered; this refuses anything nginx would read as syntax, whatever the caller forgot.</summary>
    private static string Checked(string value)
    {
        if (value.Length == 0 || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ';' or '{' or '}' or '"' or '\'' or '$' or '#' or '\\'))
        {
            throw new ArgumentException($"'{value}' cannot be written into nginx's configuration");
        }

        return value;
    }

    private static string Fill(string template, Dictionary<string, string> values)
    {
        var text = new StringBuilder(template);
        foreach (var (key, value) in values)
        {
            text.Replace("{{" + key + "}}", value);
        }

        return text.ToString();
    }
}
