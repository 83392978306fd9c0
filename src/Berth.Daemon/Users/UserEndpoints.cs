using Berth.Contracts;
using Berth.Daemon.Access;

namespace Berth.Daemon.Users;

/// <summary>/api/v1/users and /api/v1/tokens: users, their passwords, second factor and API tokens.</summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapBerthUsers(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("", (Caller caller, UserService s, CancellationToken ct) => s.ListAsync(caller, ct)).Reads();
        users.MapPost("", async (UserCreateRequest request, Caller caller, UserService s, CancellationToken ct) =>
        {
            var created = await s.CreateAsync(caller, request, ct).ConfigureAwait(false);
            return Results.Created($"/api/v1/users/{created.User.Name}", created);
        }).AdminChanges();
        users.MapGet("/{name}", (string name, Caller caller, UserService s, CancellationToken ct) => s.GetAsync(caller, name, ct)).Reads(ObjectKind.User, "name");
        users.MapDelete("/{name}", (string name, Caller caller, UserService s, CancellationToken ct) => s.DeleteAsync(caller, name, ct)).AdminChanges();
        users.MapPost("/{name}/disable", (string name, Caller caller, UserService s, CancellationToken ct) => s.SetDisabledAsync(caller, name, true, ct)).AdminChanges();
        users.MapPost("/{name}/enable", (string name, Caller caller, UserService s, CancellationToken ct) => s.SetDisabledAsync(caller, name, false, ct)).AdminChanges();
        users.MapPut("/{name}/password", (string name, PasswordRequest request, Caller caller, UserService s, CancellationToken ct) => s.SetPasswordAsync(caller, name, request, ct)).Changes(ObjectKind.User, "name");
        users.MapPut("/{name}/totp", (string name, Caller caller, UserService s, CancellationToken ct) => s.EnableTotpAsync(caller, name, ct)).Changes(ObjectKind.User, "name");
        users.MapDelete("/{name}/totp", (string name, Caller caller, UserService s, CancellationToken ct) => s.DisableTotpAsync(caller, name, ct)).Changes(ObjectKind.User, "name");
        users.MapGet("/{name}/tokens", (string name, Caller caller, TokenService s, CancellationToken ct) => s.ListAsync(caller, name, ct)).Reads(ObjectKind.User, "name");
        users.MapPost("/{name}/tokens", async (string name, TokenCreateRequest request, Caller caller, TokenService s, CancellationToken ct) =>
        {
            var created = await s.CreateAsync(caller, name, request, ct).ConfigureAwait(false);
            return Results.Created($"/api/v1/users/{name}/tokens/{created.Info.Name}", created);
        }).Changes(ObjectKind.User, "name");
        users.MapDelete("/{name}/tokens/{token}", (string name, string token, Caller caller, TokenService s, CancellationToken ct) => s.RevokeAsync(caller, name, token, ct)).Changes(ObjectKind.User, "name");
        api.MapGet("/tokens", (Caller caller, TokenService s, CancellationToken ct) => s.ListAsync(caller, null, ct)).WithTags("Users").Reads();
        return api;
    }
}
