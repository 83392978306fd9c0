using Berth.Daemon.Api;
using Microsoft.AspNetCore.Connections.Features;

namespace Berth.Daemon.Access;

/// <summary>
/// Who may call what. The Unix socket is root-only by its file mode, so it needs no credentials. Over HTTP the API
/// wants the admin token as a bearer token, or a panel session cookie; a cookie-authenticated change must also carry
/// the session's CSRF header (a foreign page cannot set it), and a websocket must come from the daemon's own origin.
/// </summary>
public sealed class AccessControl(RequestDelegate next, AdminToken token, PanelSessions sessions)
{
    /// <summary>The connection item the Unix socket listener sets on every connection it accepts.</summary>
    public const string UnixSocketMarker = "berth.unix-socket";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsUnixSocket(context) || IsPublic(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && token.Matches(authorization["Bearer ".Length..]))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var session = sessions.Find(context.Request.Cookies[PanelSessions.CookieName]);
        if (session is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ProblemMapping.WriteAsync(context, StatusCodes.Status401Unauthorized, "Authentication required", "log in to the web panel, or send the admin token (STATE_DIR/admin.token) as 'Authorization: Bearer TOKEN'.").ConfigureAwait(false);
            return;
        }

        if (context.WebSockets.IsWebSocketRequest && !SameOrigin(context))
        {
            await ProblemMapping.WriteAsync(context, StatusCodes.Status403Forbidden, "Foreign origin", "websockets are only accepted from the panel's own origin.").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && context.Request.Headers[PanelSessions.CsrfHeader] != session.CsrfToken)
        {
            await ProblemMapping.WriteAsync(context, StatusCodes.Status403Forbidden, "CSRF token missing", $"a change made with a session cookie must carry the session's {PanelSessions.CsrfHeader} header.").ConfigureAwait(false);
            return;
        }

        context.Items[typeof(PanelSession)] = session;
        await next(context).ConfigureAwait(false);
    }

    private static bool IsUnixSocket(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(UnixSocketMarker, out var marked) == true && marked is true;

    /// <summary>The panel's own files and the login call are open; everything else is the API.</summary>
    private static bool IsPublic(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/openapi")
        || request.Path.Equals("/api/v1/auth/login", StringComparison.Ordinal)
        || request.Path.Equals("/api/v1/auth/session", StringComparison.Ordinal);

    private static bool SameOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        return origin.Length > 0 && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
