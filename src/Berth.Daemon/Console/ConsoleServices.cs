namespace Berth.Daemon.Consoles;

/// <summary>The console feature's registration: its options (Berth:Console, --console-grace), the session registry, its endpoint.</summary>
public static class ConsoleServices
{
    public static IServiceCollection AddBerthConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ConsoleOptions>(configuration.GetSection("Berth:Console"));
        services.AddSingleton<ConsoleSessions>();
        return services;
    }

    public static void MapBerthConsole(this IEndpointRouteBuilder api) => ConsoleEndpoints.Map(api);
}
