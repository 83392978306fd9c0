using Berth.Daemon.Jobs;

namespace Berth.Daemon.Proxy;

/// <summary>Registers the proxy feature: routes, the managed nginx, its reconciler and jobs.</summary>
public static class ProxyServices
{
    public static IServiceCollection AddBerthProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ProxyOptions>(configuration.GetSection("Berth:Proxy"));
        services.AddSingleton<ProxyPaths>();
        services.AddSingleton<RouteStore>();
        services.AddSingleton<Hosting.ProxySecret>();
        services.AddSingleton<PanelUpstream>();
        services.AddSingleton<NginxConfigRenderer>();
        services.AddSingleton<NginxProcess>();
        services.AddSingleton<ReverseProxy>();
        services.AddSingleton<RouteService>();
        services.AddSingleton<Access.IOwnerLookup, RouteOwners>();
        services.AddSingleton<IJobHandler, RouteJobs>();
        services.AddSingleton<DomainBanStore>();
        services.AddSingleton<DomainBanService>();
        services.AddSingleton<CertificateStore>();
        services.AddSingleton<CertificateFiles>();
        services.AddSingleton<CertificateLock>();
        services.AddSingleton<CertificateService>();
        services.AddSingleton<IJobHandler, CertificateJobs>();
        services.AddSingleton<AcmeStore>();
        services.AddSingleton<LegoClient>();
        services.AddSingleton<AcmeService>();
        services.AddSingleton<RouteCertificateRequests>();
        services.AddSingleton<IJobHandler, AcmeJobs>();
        services.AddHostedService<ProxyReconciler>();
        services.AddHostedService<AcmeRenewal>();
        return services;
    }
}
