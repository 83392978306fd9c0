using System.CommandLine;
using System.Globalization;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth route add|list|remove</c>.</summary>
internal static class RouteCommands
{
    public static Command Create() => new("route", "Route domains (and paths) through the proxy to containers") { CreateAdd(), CreateList(), CreateRemove() };

    private static Command CreateAdd()
    {
        var container = new Argument<string?>("container") { Description = "Container the requests go to", Arity = ArgumentArity.ZeroOrOne };
        var domain = new Argument<string?>("domain") { Description = "Domain, e.g. wiki.example.org (international names are fine)", Arity = ArgumentArity.ZeroOrOne };
        var panel = new Option<string>("--panel") { Description = "Publish berthd's own web panel and API under this domain instead (admins; berthd needs --http)", HelpName = "DOMAIN" };
        var path = new Option<string>("--path") { Description = "Only requests under this path prefix, e.g. /jenkins/ (default: the whole domain)", HelpName = "PREFIX" };
        var port = new Option<int?>("--port") { Description = "The container's port (default 80)", HelpName = "PORT" };
        var maxBody = new Option<string>("--max-body") { Description = "Largest request body, e.g. 10m, 1g, 0 for no limit (default 100m)", HelpName = "SIZE" };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for the container, e.g. 90s, 5m (default 60s)", HelpName = "DURATION" };
        var websocket = new Option<bool>("--websocket") { Description = "Pass websocket upgrades through" };
        var tls = new Option<string>("--tls") { Description = "HTTPS: auto (a certificate from ACME), off, or a certificate's name (default: any certificate that covers the domain)", HelpName = "auto|off|CERT" };
        var redirect = new Option<bool>("--redirect-https") { Description = "Answer HTTP with a redirect to HTTPS once the domain has a certificate" };
        var command = new Command("add", "Route a domain (or a path of it) to a container's port, or publish the panel with --panel DOMAIN") { container, domain, panel, path, port, maxBody, timeout, websocket, tls, redirect };
        command.SetAction(CommandAction.Run(async context =>
        {
            if (context.Get(panel) is { } panelDomain)
            {
                if (context.Get(container) is not null || context.Get(path) is not null || context.Get(port) is not null || context.Get(maxBody) is not null
                    || context.Get(timeout) is not null || context.Get(websocket))
                {
                    throw new CliException("--panel DOMAIN takes the whole domain to berthd's panel: give no container, domain, --path, --port, --max-body, --timeout or --websocket with it.");
                }

                var panelRequest = new PanelRouteRequest { Domain = panelDomain, Tls = context.Get(tls), RedirectHttps = context.Get(redirect) };
                var panelJob = await context.Client.AddPanelRouteAsync(panelRequest, context.CancellationToken).ConfigureAwait(false);
                await context.WaitForJobAsync(panelJob).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"Publishing the panel at {panelDomain}").ConfigureAwait(false);
                if (panelRequest.Tls == "auto")
                {
                    await WaitForCertificateAsync(context, panelDomain, null).ConfigureAwait(false);
                }

                return 0;
            }

            if (context.Get(container) is not { } target || context.Get(domain) is not { } name)
            {
                throw new CliException("give CONTAINER and DOMAIN (berth route add CONTAINER DOMAIN), or --panel DOMAIN for the panel.");
            }

            var request = new RouteRequest
            {
                Container = target,
                Domain = name,
                Path = context.Get(path),
                Port = context.Get(port),
                MaxBody = context.Get(maxBody),
                Timeout = context.Get(timeout),
                Websocket = context.Get(websocket),
                Tls = context.Get(tls),
                RedirectHttps = context.Get(redirect),
            };
            var job = await context.Client.AddRouteAsync(request, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Routing {request.Domain}{request.Path ?? "/"} to {request.Container}:{(request.Port ?? 80).ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
            if (request.Tls == "auto")
            {
                await WaitForCertificateAsync(context, request.Domain, request.Container).ConfigureAwait(false);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Follows the ACME order --tls auto started (its own job, target cert:acme-DOMAIN); the route serves HTTP whatever it does.</summary>
    private static async Task WaitForCertificateAsync(CommandContext context, string domain, string? container)
    {
        var routes = await context.Client.ListRoutesAsync(container, context.CancellationToken).ConfigureAwait(false);
        var route = routes.FirstOrDefault(r => r.Domain == domain || r.DomainUnicode == domain);
        if (route is null || route.Certificate is not null)
        {
            return;
        }

        var target = $"cert:acme-{route.Domain}";
        var order = (await context.Client.ListJobsAsync(50, context.CancellationToken).ConfigureAwait(false))
            .Where(j => j.Kind == "cert.issue" && j.Target == target).OrderByDescending(j => j.CreatedAt).FirstOrDefault();
        if (order is null)
        {
            return;
        }

        try
        {
            await context.WaitForJobAsync(order).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"HTTPS for {domain} with certificate acme-{route.Domain}").ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            throw new CliException($"the route serves HTTP, but no certificate yet (retried later; 'berth cert list'): {ex.Message}");
        }
    }

    private static Command CreateList()
    {
        var container = new Argument<string?>("container") { Description = "Only this container's routes", Arity = ArgumentArity.ZeroOrOne };
        var format = FormatOption.Create(FormatOption.Table, FormatOption.Json);
        var command = new Command("list", "List routes") { container, format };
        command.Aliases.Add("ls");
        command.SetAction(CommandAction.Run(async context =>
        {
            var routes = await context.Client.ListRoutesAsync(context.Get(container), context.CancellationToken).ConfigureAwait(false);
            if (context.Get(format) == FormatOption.Json)
            {
                JsonOutput.Write(context.Out, routes);
                return 0;
            }

            // As in 'berth list': an OWNER column once any route belongs to a member.
            var owners = routes.Any(r => r.Owner is not null);
            string[] headers = ["DOMAIN", "PATH", "CONTAINER", "PORT", "TARGET", "MAX BODY", "TIMEOUT", "WEBSOCKET", "TLS", "CERTIFICATE"];
            var table = new TablePrinter(owners ? [.. headers, "OWNER"] : headers);
            foreach (var r in routes)
            {
                var shown = r.DomainUnicode == r.Domain ? r.Domain : $"{r.DomainUnicode} ({r.Domain})";
                string[] cells = [shown, r.Path, r.Container, r.Port.ToString(CultureInfo.InvariantCulture), r.TargetAddress ?? "-", r.MaxBody, r.Timeout, r.Websocket ? "yes" : "no", (r.Tls ?? "-") + (r.RedirectHttps ? ",redirect" : ""), r.Certificate ?? "-"];
                table.AddRow(owners ? [.. cells, r.Owner ?? "root"] : cells);
            }

            table.WriteTo(context.Out);
            return 0;
        }));
        return command;
    }

    private static Command CreateRemove()
    {
        var route = new Argument<string>("route") { Description = "DOMAIN or DOMAIN/PATH/, e.g. example.org/jenkins/" };
        var command = new Command("remove", "Remove a route") { route };
        command.Aliases.Add("rm");
        command.SetAction(CommandAction.Run(async context =>
        {
            var text = context.Get(route)!;
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var (domain, path) = slash < 0 ? (text, (string?)null) : (text[..slash], text[slash..]);
            var job = await context.Client.RemoveRouteAsync(domain, path, context.CancellationToken).ConfigureAwait(false);
            await context.WaitForJobAsync(job).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Removed route {text}").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
