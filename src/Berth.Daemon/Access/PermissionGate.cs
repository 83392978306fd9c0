using Berth.Daemon.Api;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Access;

/// <summary>
/// Enforces each endpoint's <see cref="EndpointPermission"/> after <see cref="AccessControl"/> has said who is asking:
/// an endpoint that declares none is refused (fail closed), admin endpoints refuse members, read-only tokens change
/// nothing, metrics-only tokens reach only the scrape, and an object the route names must be the caller's, or it answers exactly as if it did not exist.
/// </summary>
public sealed class PermissionGate(RequestDelegate next, IEnumerable<IOwnerLookup> lookups)
{
    private readonly Dictionary<ObjectKind, IOwnerLookup> _lookups = lookups.ToDictionary(l => l.Kind);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.GetEndpoint();
        // No route, or routing's own 405/415 rejections (plain endpoints, not mapped routes): they answer a status and run nothing.
        if (endpoint is not RouteEndpoint)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var permission = endpoint.Metadata.GetMetadata<EndpointPermission>();
        if (permission is null)
        {
            await ProblemMapping.WriteAsync(context, StatusCodes.Status403Forbidden, "Endpoint declares no permission", $"{context.Request.Method} {context.Request.Path} does not say who may call it, so nobody may; this is a bug in berthd.").ConfigureAwait(false);
            return;
        }

        // Before the open endpoints too: a metrics-only token reaches GET /metrics and nothing else, not even the session check.
        if (context.Items[typeof(Caller)] is Caller { Scope: TokenScope.Metrics } scoped
            && (endpoint.Metadata.GetMetadata<MetricsScrape>() is null || !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))))
        {
            await ProblemMapping.WriteAsync(context, StatusCodes.Status403Forbidden, "Metrics-only token", $"the token '{scoped.Token}' is limited to metrics: it may only read GET /metrics, not {context.Request.Method} {context.Request.Path}; use a token created with scope full.").ConfigureAwait(false);
            return;
        }

        if (permission.Open)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (context.Items[typeof(Caller)] is not Caller caller)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ProblemMapping.WriteAsync(context, StatusCodes.Status401Unauthorized, "Authentication required", "log in, or send a token as 'Authorization: Bearer TOKEN'.").ConfigureAwait(false);
            return;
        }

        if (permission.Changes && caller.ReadOnly)
        {
            await ProblemMapping.WriteAsync(context, StatusCodes.Status403Forbidden, "Read-only token", $"the token '{caller.Token}' may only look; {context.Request.Method} {context.Request.Path} changes something, so use a token created without readOnly.").ConfigureAwait(false);
            return;
        }

        if (permission.AdminOnly && !caller.IsAdmin)
        {
            await ProblemMapping.WriteAsync(context, StatusCodes.Status403Forbidden, "Admins only", $"{context.Request.Method} {context.Request.Path} acts on the whole host; ask an admin of this Berth.").ConfigureAwait(false);
            return;
        }

        if (permission.Object is { } kind && !caller.IsAdmin)
        {
            var name = context.Request.RouteValues[permission.RouteValue!]?.ToString() ?? "";
            // No lookup for the kind means nobody but admins can be shown to own one: refuse rather than guess.
            var found = _lookups.TryGetValue(kind, out var lookup) ? await lookup.FindAsync(name, context.RequestAborted).ConfigureAwait(false) : null;
            // A name nobody has yet passes only where the endpoint creates one (a stack's first up); the service decides the rest.
            if (found is null ? !permission.OrNew || lookup is null : !found.Permits(caller))
            {
                throw lookup?.NotFound(name) ?? DomainError.NotFound("Not found", $"there is no {kind.ToString().ToLowerInvariant()} '{name}'.");
            }
        }

        await next(context).ConfigureAwait(false);
    }
}
