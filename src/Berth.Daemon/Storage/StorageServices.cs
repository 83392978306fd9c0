using Berth.Daemon.Jobs;

namespace Berth.Daemon.Storage;

/// <summary>Registers the storage feature: drivers, pools, snapshots, archives and their jobs.</summary>
public static class StorageServices
{
    public static IServiceCollection AddBerthStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageOptions>(configuration.GetSection("Berth:Storage"));
        services.AddSingleton<IStorageDriver, DirStorageDriver>();
        services.AddSingleton<IStorageDriver, BtrfsStorageDriver>();
        services.AddSingleton<IStorageDriver, OverlayStorageDriver>();
        services.AddSingleton<ContainerUserNamespace>();
        services.AddSingleton<RootfsFiles>();
        services.AddSingleton<Runtime.IContainerStartHook, StorageStartHook>();
        services.AddSingleton<StorageStore>();
        services.AddSingleton<StoragePools>();
        services.AddSingleton<StorageService>();
        services.AddSingleton<ArchiveTransfers>();
        services.AddSingleton<Containers.ArchiveUploads>();
        services.AddSingleton<IJobHandler, StorageJobs>();
        services.AddHostedService<SnapshotScheduler>();
        return services;
    }
}
