using Berth.Contracts;
using Berth.Daemon.Access;
using Berth.Daemon.Users;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Api;

/// <summary>/api/v1/auth: the web panel's login (a user's password, or the admin token), its session, setup codes and logout.</summary>
public static class AuthEndpoints
{
    /// <summary>The throttle's account for the admin token; not a valid user name, so it never shares a user's count.</summary>
    private const string AdminTokenAccount = "admin.token";

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        group.MapPost("/login", async (LoginRequest request, HttpContext context, AdminToken token, PanelSessions sessions, LoginThrottle throttle, LoginDevices devices, PasswordLogin passwords, CancellationToken ct) =>
        {
            var byToken = request.User is null;
            if (byToken && request.Token is null)
            {
                throw DomainError.Invalid("Missing credentials", "give user and password (and code when the account has a second factor), or token (the admin token).");
            }

            // Keyed by the name as given, known or not, so a refusal says nothing about whether the user exists.
            var account = byToken ? AdminTokenAccount : request.User![..Math.Min(request.User!.Length, 64)];
            var address = context.Connection.RemoteIpAddress;
            var device = devices.Recognise(context.Request.Cookies[LoginDevices.CookieName], account);
            if (throttle.Admit(account, address, device) is { } wait)
            {
                // Written here rather than thrown: the exception handler would drop the Retry-After header.
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers.RetryAfter = seconds;
                await ProblemMapping.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many failed logins", $"too many wrong {(byToken ? "tokens" : "passwords")} were tried for this account or from this address, so for now only one login is checked at a time; try again in {seconds} seconds (the right {(byToken ? "token" : "password")} is still accepted then).").ConfigureAwait(false);
                return Results.Empty;
            }

            PanelSession session;
            if (byToken)
            {
                if (!token.Matches(request.Token))
                {
                    throttle.Failed(account, address, device);
                    throw DomainError.Unauthenticated("Wrong token", "the token does not match; it is in STATE_DIR/admin.token on the host (root only).");
                }

                session = await sessions.CreateRootAsync(ct).ConfigureAwait(false);
            }
            else
            {
                var (outcome, user, role) = await passwords.VerifyAsync(request.User, request.Password, request.Code, ct).ConfigureAwait(false);
                switch (outcome)
                {
                    case LoginOutcome.Wrong:
                        throttle.Failed(account, address, device);
                        throw DomainError.Unauthenticated("Wrong user or password", "the user name or the password is wrong (a new user sets a password with the setup code an admin gave).");
                    case LoginOutcome.WrongCode:
                        throttle.Failed(account, address, device);
                        throw DomainError.Unauthenticated("Wrong code", "the code is wrong or was used already; give the current 6-digit code from the authenticator app.");
                    case LoginOutcome.CodeRequired:
                        throw DomainError.Unauthenticated("Code required", "this account has a second factor: give the 6-digit code from the authenticator app as code.");
                    case LoginOutcome.Disabled:
                        throw DomainError.Forbidden("Account disabled", "this account is disabled; an admin can enable it again.");
                }

                session = await sessions.CreateAsync(user!, role, ct).ConfigureAwait(false);
            }

            context.Response.Cookies.Append(PanelSessions.CookieName, session.Id, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
                Expires = session.ExpiresAt,
            });
            context.Response.Cookies.Append(LoginDevices.CookieName, devices.Issue(account, out var deviceExpires), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = LoginDevices.CookiePath,
                Expires = deviceExpires,
            });
            return Results.Ok(Describe(session));
        }).Open();
        group.MapGet("/session", async (HttpContext context, PanelSessions sessions, CancellationToken ct) =>
            await sessions.FindAsync(context.Request.Cookies[PanelSessions.CookieName], ct).ConfigureAwait(false) is { Disabled: false } session
                ? Results.Ok(Describe(session))
                : throw DomainError.Unauthenticated("Not logged in", "log in with a user name and password, or the admin token.")).Open();
        group.MapPost("/setup", async (SetupRequest request, UserService users, CancellationToken ct) =>
            await users.RedeemSetupAsync(request, ct).ConfigureAwait(false)).Open();
        group.MapGet("/whoami", (Caller caller) => new CallerInfo
        {
            Name = caller.Name,
            Role = caller.IsAdmin ? "admin" : "member",
            Root = caller.IsRoot,
            Token = caller.Token,
            ReadOnly = caller.ReadOnly,
        }).Reads();
        group.MapPost("/logout", async (HttpContext context, PanelSessions sessions, CancellationToken ct) =>
        {
            await sessions.RemoveAsync(context.Request.Cookies[PanelSessions.CookieName], ct).ConfigureAwait(false);
            context.Response.Cookies.Delete(PanelSessions.CookieName, new CookieOptions { Path = "/" });
            return Results.NoContent();
        }).Open();
    }

    private static SessionInfo Describe(PanelSession session) =>
        new(session.CsrfToken, session.ExpiresAt, session.User, session.Role == Role.Admin ? "admin" : "member");
}
