using Berth.Daemon.Jobs;

namespace Berth.Daemon.Storage;

/// <summary>Registers the storage feature: drivers, pools, snapshots, archives and their jobs.</summary>
public static class StorageServices
{
    public static IServiceCollection AddBerthStorage(this IServiceCollection services)
    {
        services.AddSingleton<IStorageDriver, DirStorageDriver>();
        services.AddSingleton<IStorageDriver, BtrfsStorageDriver>();
        services.AddSingleton<IStorageDriver, OverlayStorageDriver>();
        services.AddSingleton<ContainerUserNamespace>();
        services.AddSingleton<StorageStore>();
        services.AddSingleton<StoragePools>();
        services.AddSingleton<StorageService>();
        services.AddSingleton<IJobHandler, StorageJobs>();
        services.AddHostedService<StorageStartup>();
        return services;
    }
}
