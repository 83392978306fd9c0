using Berth.Contracts;
using Berth.Daemon.Access;

namespace Berth.Daemon.Api;

/// <summary>/api/v1/auth: the web panel's login with the admin token, its session, and logout.</summary>
public static class AuthEndpoints
{
    /// <summary>The one account there is today; the throttle counts failures per account name.</summary>
    private const string AdminAccount = "admin";

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        group.MapPost("/login", async (LoginRequest request, HttpContext context, AdminToken token, PanelSessions sessions, LoginThrottle throttle, LoginDevices devices) =>
        {
            var address = context.Connection.RemoteIpAddress;
            var device = devices.Recognise(context.Request.Cookies[LoginDevices.CookieName], AdminAccount);
            if (throttle.Admit(AdminAccount, address, device) is { } wait)
            {
                // Written here rather than thrown: the exception handler would drop the Retry-After header.
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers.RetryAfter = seconds;
                await ProblemMapping.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many failed logins", $"too many wrong tokens were tried for this account or from this address, so for now only one login is checked at a time; try again in {seconds} seconds (the right token is still accepted then).").ConfigureAwait(false);
                return Results.Empty;
            }

            if (!token.Matches(request.Token))
            {
                throttle.Failed(AdminAccount, address, device);
                throw new BerthProblem(StatusCodes.Status401Unauthorized, "Wrong token", "the token does not match; it is in STATE_DIR/admin.token on the host (root only).");
            }

            var session = sessions.Create();
            context.Response.Cookies.Append(PanelSessions.CookieName, session.Id, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
                Expires = session.ExpiresAt,
            });
            context.Response.Cookies.Append(LoginDevices.CookieName, devices.Issue(AdminAccount, out var deviceExpires), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = LoginDevices.CookiePath,
                Expires = deviceExpires,
            });
            return Results.Ok(new SessionInfo(session.CsrfToken, session.ExpiresAt));
        }).Open();
        group.MapGet("/session", (HttpContext context, PanelSessions sessions) =>
            sessions.Find(context.Request.Cookies[PanelSessions.CookieName]) is { } session
                ? Results.Ok(new SessionInfo(session.CsrfToken, session.ExpiresAt))
                : throw new BerthProblem(StatusCodes.Status401Unauthorized, "Not logged in", "log in with the admin token.")).Open();
        group.MapPost("/logout", (HttpContext context, PanelSessions sessions) =>
        {
            sessions.Remove(context.Request.Cookies[PanelSessions.CookieName]);
            context.Response.Cookies.Delete(PanelSessions.CookieName, new CookieOptions { Path = "/" });
            return Results.NoContent();
        }).Open();
    }
}
