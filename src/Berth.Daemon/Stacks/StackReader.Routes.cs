using System.Globalization;
using Berth.Daemon.Proxy;

namespace Berth.Daemon.Stacks;

/// <summary>A container's routes: a list of DOMAIN[/PATH][:PORT], or a mapping of DOMAIN to a port or to { port, path, websocket, tls }.</summary>
public sealed partial class StackReader
{
    private void ReadRoutes(StackNode node, string path, List<StackRoute> routes)
    {
        if (node.Map is null)
        {
            foreach (var (text, at) in Strings(node, path))
            {
                var (target, port) = SplitPort(text);
                var slash = target.IndexOf('/', StringComparison.Ordinal);
                if (Route(at, path, slash < 0 ? target : target[..slash], slash < 0 ? null : target[slash..], port, false, null) is { } route)
                {
                    routes.Add(route);
                }
            }

            return;
        }

        foreach (var (domain, kn, v) in Mapping(node, path) ?? [])
        {
            var at = $"{path}.{domain}";
            if (v.Map is null)
            {
                if (Integer(v, at, 1, 65535) is { } port && Route(kn, at, domain, null, port.ToString(CultureInfo.InvariantCulture), false, null) is { } simple)
                {
                    routes.Add(simple);
                }

                continue;
            }

            string? routePath = null, tls = null, portText = null;
            var websocket = false;
            foreach (var (k, _, value) in Mapping(v, at, "port", "path", "websocket", "tls") ?? [])
            {
                switch (k)
                {
                    case "port":
                        portText = Integer(value, $"{at}.port", 1, 65535)?.ToString(CultureInfo.InvariantCulture) ?? "0";
                        break;
                    case "path":
                        routePath = SingleLine(value, $"{at}.path");
                        break;
                    case "websocket":
                        websocket = Bool(value, $"{at}.websocket") ?? false;
                        break;
                    default:
                        tls = SingleLine(value, $"{at}.tls");
                        break;
                }
            }

            if (portText != "0" && Route(kn, at, domain, routePath, portText, websocket, tls) is { } route)
            {
                routes.Add(route);
            }
        }
    }

    /// <summary>"shop.example.org/api:8080" into the target and "8080"; no port suffix gives null (port 80).</summary>
    private static (string Target, string? Port) SplitPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && colon < text.Length - 1 && text[(colon + 1)..].All(char.IsAsciiDigit) ? (text[..colon], text[(colon + 1)..]) : (text, null);
    }

    private StackRoute? Route(StackNode at, string path, string domainText, string? pathText, string? portText, bool websocket, string? tls)
    {
        if (!DomainName.TryNormalise(domainText, out var domain, out var domainError))
        {
            Error(at, path, domainError);
            return null;
        }

        if (!RoutePath.TryNormalise(pathText, out var routePath, out var pathError))
        {
            Error(at, path, pathError);
            return null;
        }

        var port = 80;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            Error(at, path, $"port {portText} is not a TCP port; give the container's port, 1-65535");
            return null;
        }

        if (tls is { Length: 0 })
        {
            tls = null;
        }

        return new StackRoute(domain, routePath, port, websocket, tls);
    }

    /// <summary>One domain and path go to one container: two routes of the stack claiming the same are an error.</summary>
    private void RequireDistinctRoutes(List<(StackContainer Container, StackNode Node)> containers)
    {
        foreach (var clash in containers.SelectMany(c => c.Container.Routes.Select(r => (c.Container.Key, c.Node, Route: r)))
            .GroupBy(r => (r.Route.Domain, r.Route.Path)).Where(g => g.Count() > 1))
        {
            var first = clash.First();
            Error(first.Node, $"containers.{first.Key}.routes", $"{clash.Key.Domain}{clash.Key.Path} is routed more than once ({string.Join(", ", clash.Select(c => c.Key))}); a domain and path go to one container");
        }
    }
}
