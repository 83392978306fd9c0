namespace Berth.Daemon.Audit;

/// <summary>Registers the audit feature: its store, the middleware that records requests, the pruner and the endpoint.</summary>
public static class AuditServices
{
    public static IServiceCollection AddBerthAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuditOptions>(configuration.GetSection("Berth:Audit"));
        services.AddSingleton<AuditStore>();
        services.AddHostedService<AuditPruner>();
        return services;
    }

    /// <summary>Goes just before access control, so its refusals are recorded as well.</summary>
    public static IApplicationBuilder UseBerthAudit(this IApplicationBuilder app) => app.UseMiddleware<AuditTrail>();

    public static RouteHandlerBuilder MapBerthAudit(this IEndpointRouteBuilder api) => AuditEndpoints.Map(api);
}
