using Berth.Contracts;
using Berth.Daemon.Access;

namespace Berth.Daemon.Users;

/// <summary>/api/v1/users/{name}/quota: a user's limits and usage; admins change them.</summary>
public static class QuotaEndpoints
{
    public static IEndpointRouteBuilder MapBerthQuotas(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/{name}/quota", (string name, Caller caller, QuotaService s, CancellationToken ct) => s.GetAsync(caller, name, ct)).Reads(ObjectKind.User, "name");
        users.MapPatch("/{name}/quota", (string name, QuotaUpdateRequest request, Caller caller, QuotaService s, CancellationToken ct) => s.UpdateAsync(caller, name, request, ct)).AdminChanges();
        return api;
    }
}
