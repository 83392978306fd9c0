namespace Berth.Daemon.Users;

/// <summary>Registers the users feature: users, their tokens, persisted panel sessions and password logins.</summary>
public static class UserServices
{
    public static IServiceCollection AddBerthUsers(this IServiceCollection services)
    {
        services.AddSingleton<UserStore>();
        services.AddSingleton<IdMapRanges>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<UserService>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<PasswordLogin>();
        services.AddSingleton<QuotaStore>().AddSingleton<QuotaService>();
        services.AddSingleton<Access.IOwnerLookup, UserOwners>();
        return services;
    }
}
