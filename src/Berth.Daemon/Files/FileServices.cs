namespace Berth.Daemon.Files;

/// <summary>Registers the files feature.</summary>
public static class FileServices
{
    public static IServiceCollection AddBerthFiles(this IServiceCollection services)
    {
        services.AddSingleton<ContainerFiles>();
        return services;
    }
}
