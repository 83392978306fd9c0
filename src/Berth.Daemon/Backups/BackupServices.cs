using Berth.Daemon.Jobs;

namespace Berth.Daemon.Backups;

/// <summary>Registers the backups feature: targets, their sealed secrets, restic runs taking turns per target, and the jobs.</summary>
public static class BackupServices
{
    public static IServiceCollection AddBerthBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<BackupOptions>(configuration.GetSection("Berth:Backups"));
        services.AddSingleton<HostSecretKey>();
        services.AddSingleton<BackupHostId>();
        services.AddSingleton<BackupStore>();
        services.AddSingleton<BackupMarks>();
        services.AddSingleton<BackupTargets>();
        services.AddSingleton<RepositoryTurns>();
        services.AddSingleton<BackupRunner>();
        services.AddSingleton<BackupStaging>();
        services.AddSingleton<BackupTrees>();
        services.AddSingleton<BackupService>();
        services.AddSingleton<IJobHandler, BackupJobs>();
        services.AddSingleton<IJobHandler, RestoreTestJobs>();
        services.AddSingleton<IJobHandler, BackupDeleteJobs>();
        services.AddSingleton<Access.IOwnerLookup, BackupOwners>();
        services.AddHostedService<StaleLockSweep>();
        services.AddHostedService<BackupScheduler>();
        return services;
    }
}
