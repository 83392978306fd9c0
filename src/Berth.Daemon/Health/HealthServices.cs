namespace Berth.Daemon.Health;

/// <summary>Registers health checks and restart policies: the probe, the states lists read and the monitor.</summary>
public static class HealthServices
{
    public static IServiceCollection AddBerthHealth(this IServiceCollection services)
    {
        services.AddSingleton<HealthProbe>();
        services.AddSingleton<HealthStates>();
        services.AddSingleton<HealthStore>();
        services.AddHostedService<HealthMonitor>();
        return services;
    }
}
