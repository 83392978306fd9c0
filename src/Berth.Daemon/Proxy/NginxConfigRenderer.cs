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
    /// also served on the HTTPS listener (an exact name before a wildcard, then by certificate name).
    /// </summary>
    public string Render(IReadOnlyList<ProxyRoute> routes, System.Net.IPEndPoint http, System.Net.IPEndPoint? https = null, IReadOnlyList<ProxyCertificate>? certificates = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(http);
        certificates ??= [];
        var listen = Listen(http);
        var servers = new StringBuilder();
        foreach (var domain in routes.GroupBy(r => r.Domain, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var locations = new StringBuilder();
            foreach (var route in domain.OrderByDescending(r => r.Path.Length).ThenBy(r => r.Path, StringComparer.Ordinal))
            {
                locations.Append(Fill(NginxTemplate.Location, new()
                {
                    ["CONTAINER"] = Checked(route.Container),
                    ["PATH"] = Checked(route.Path),
                    ["ACCESS_LOG"] = Checked(paths.AccessLog(route.Domain, route.Path)),
                    ["TARGET"] = Checked($"{route.TargetAddress}:{route.Port.ToString(CultureInfo.InvariantCulture)}"),
                    ["MAX_BODY"] = Checked(route.MaxBody),
                    ["TIMEOUT"] = Checked(route.Timeout),
                    ["UPGRADE"] = route.Websocket ? NginxTemplate.Upgrade : NginxTemplate.NoUpgrade,
                }));
            }

            servers.Append(Fill(NginxTemplate.Server, new()
            {
                ["HTTP"] = listen,
                ["DOMAIN"] = Checked(domain.Key),
                ["LOCATIONS"] = locations.ToString(),
            }));
            if (https is not null && CertificateFor(domain.Key, certificates) is { } certificate)
            {
                servers.Append(Fill(NginxTemplate.TlsServer, new()
                {
                    ["HTTPS"] = Listen(https),
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
            ["SERVERS"] = servers.ToString(),
        });
    }

    /// <summary>The certificate nginx serves for a domain: one naming it exactly first, else a wildcard covering it.</summary>
    public static ProxyCertificate? CertificateFor(string domain, IReadOnlyList<ProxyCertificate> certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        var covering = certificates.Where(c => c.Covers(domain)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return covering.FirstOrDefault(c => c.Domains.Contains(domain, StringComparer.OrdinalIgnoreCase)) ?? covering.FirstOrDefault();
    }

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
