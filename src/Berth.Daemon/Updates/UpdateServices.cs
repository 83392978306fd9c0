using Berth.Daemon.Jobs;

namespace Berth.Daemon.Updates;

/// <summary>Registers unattended updates: apt in containers, the runs' store, the job and the scheduler.</summary>
public static class UpdateServices
{
    public static IServiceCollection AddBerthUpdates(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UpdateOptions>(configuration.GetSection("Berth:Updates"));
        services.AddSingleton<ContainerApt>();
        services.AddSingleton<UpdateStore>();
        services.AddSingleton<UpdateService>();
        services.AddSingleton<IJobHandler, UpdateJobs>();
        services.AddHostedService<UpdateScheduler>();
        return services;
    }
}
