namespace Berth.Daemon.Metrics;

/// <summary>Registers the metrics feature: the collector behind /metrics, the history and its sampler.</summary>
public static class MetricsServices
{
    public static IServiceCollection AddBerthMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MetricsOptions>(configuration.GetSection("Berth:Metrics"));
        services.AddSingleton<DiskUsage>();
        services.AddSingleton<MetricsCollector>();
        services.AddSingleton<MetricsHistory>();
        services.AddHostedService<MetricsSampler>();
        return services;
    }
}
