using Berth.Daemon.Api;
using Berth.Daemon.Users;
using Microsoft.AspNetCore.Connections.Features;

namespace Berth.Daemon.Access;

/// <summary>
/// Who may call what. The Unix socket is root-only by its file mode, so it needs no credentials. Over HTTP the API
/// wants a user's token or the admin token as a bearer token, or a panel session cookie (a user's, or root's when
/// opened with the admin token); a user's state is read on every request, so disabling it refuses it at once; a cookie-authenticated change must also carry
/// the session's CSRF header (a foreign page cannot set it), and anything a browser sends with the cookie must come from
/// the daemon's own origin (see <see cref="BrowserOrigin"/>): SameSite=Strict does not stop a page on another
/// loopback port, which the browser counts as the same site.
/// </summary>
public sealed class AccessControl(RequestDelegate next, AdminToken token, PanelSessions sessions, TokenService tokens)
{
    /// <summary>The connection item the Unix socket listener sets on every connection it accepts.</summary>
    public const string UnixSocketMarker = "berth.unix-socket";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsUnixSocket(context))
        {
            Caller.Enter(context, Caller.Root(null));
            await next(context).ConfigureAwait(false);
            return;
        }

        if (IsPanelFile(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        var bearer = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..].Trim() : null;
        if (bearer is not null && await tokens.ResolveAsync(bearer, context.Connection.RemoteIpAddress, context.RequestAborted).ConfigureAwait(false) is { } resolved)
        {
            if (resolved.Caller is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                await ProblemMapping.WriteAsync(context, StatusCodes.Status401Unauthorized, resolved.Title, resolved.Detail).ConfigureAwait(false);
                return;
            }

            Caller.Enter(context, resolved.Caller);
            await next(context).ConfigureAwait(false);
            return;
        }

        if (bearer is not null && token.Matches(bearer))
        {
            Caller.Enter(context, Caller.Root(context.Connection.RemoteIpAddress, "admin.token"));
            await next(context).ConfigureAwait(false);
            return;
        }

        // Everything past here is what a browser can send with the panel's cookie, so a foreign page is refused first.
        if (BrowserOrigin.Refusal(context) is { } foreign)
        {
            await ProblemMapping.WriteAsync(context, StatusCodes.Status403Forbidden, "Foreign origin", foreign).ConfigureAwait(false);
            return;
        }

        if (IsLogin(context.Request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var session = await sessions.FindAsync(context.Request.Cookies[PanelSessions.CookieName], context.RequestAborted).ConfigureAwait(false);
        if (session is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ProblemMapping.WriteAsync(context, StatusCodes.Status401Unauthorized, "Authentication required", "log in to the web panel, or send a user's token or the admin token (STATE_DIR/admin.token) as 'Authorization: Bearer TOKEN'.").ConfigureAwait(false);
            return;
        }

        if (session.Disabled)
        {
            await ProblemMapping.WriteAsync(context, StatusCodes.Status401Unauthorized, "Account disabled", $"the user '{session.User}' is disabled; an admin can enable it again.").ConfigureAwait(false);
            return;
        }

        // Browsers always send Origin on a websocket, so one without it is not the panel; header check as well, so this holds whatever the middleware order.
        if ((context.WebSockets.IsWebSocketRequest || context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase))
            && context.Request.Headers.Origin.Count == 0)
        {
            await ProblemMapping.WriteAsync(context, StatusCodes.Status403Forbidden, "Origin required", "a websocket opened with a panel session must come from the panel's page; other clients send the admin token as 'Authorization: Bearer TOKEN'.").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(context.Request.Headers[PanelSessions.CsrfHeader].ToString()), System.Text.Encoding.UTF8.GetBytes(session.CsrfToken)))
        {
            await ProblemMapping.WriteAsync(context, StatusCodes.Status403Forbidden, "CSRF token missing", $"a change made with a session cookie must carry the session's {PanelSessions.CsrfHeader} header.").ConfigureAwait(false);
            return;
        }

        context.Items[typeof(PanelSession)] = session;
        Caller.Enter(context, session.IsRoot
            ? Caller.Root(context.Connection.RemoteIpAddress)
            : new Caller { Name = session.User, Role = session.Role, Address = context.Connection.RemoteIpAddress });
        await next(context).ConfigureAwait(false);
    }

    private static bool IsUnixSocket(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(UnixSocketMarker, out var marked) == true && marked is true;

    /// <summary>The panel's own files are open (they hold no data); everything else is the API.</summary>
    private static bool IsPanelFile(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/openapi") && !request.Path.StartsWithSegments("/metrics");

    /// <summary>Logging in, redeeming a setup code and asking for the current session need no session, but they do need the panel's own page.</summary>
    private static bool IsLogin(HttpRequest request) =>
        request.Path.Equals("/api/v1/auth/login", StringComparison.Ordinal)
        || request.Path.Equals("/api/v1/auth/setup", StringComparison.Ordinal)
        || request.Path.Equals("/api/v1/auth/session", StringComparison.Ordinal);
}
