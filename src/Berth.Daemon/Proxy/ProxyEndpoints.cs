using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Access;

namespace Berth.Daemon.Proxy;

/// <summary>/api/v1/routes.</summary>
public static class ProxyEndpoints
{
    public static IEndpointRouteBuilder MapBerthProxy(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/routes").WithTags("Proxy");
        // Members route to their own containers: the service checks the container a request names, the gate the domain a path names.
        group.MapGet("", (string? container, Caller caller, RouteService s, CancellationToken ct) => s.ListAsync(caller, container, ct)).Reads();
        group.MapPost("", async (RouteRequest request, Caller caller, RouteService s, CancellationToken ct) =>
            JobResults.Accepted(await s.AddAsync(caller, request, ct).ConfigureAwait(false))).Changes();
        group.MapPost("/panel", async (PanelRouteRequest request, RouteService s, CancellationToken ct) =>
            JobResults.Accepted(await s.AddPanelAsync(request, ct).ConfigureAwait(false))).AdminChanges();
        group.MapDelete("/{domain}", async (string domain, string? path, Caller caller, RouteService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RemoveAsync(caller, domain, path, ct).ConfigureAwait(false))).Changes(ObjectKind.Route, "domain");
        var certificates = api.MapGroup("/certificates").WithTags("Proxy");
        certificates.MapGet("", (CertificateService s, CancellationToken ct) => s.ListAsync(ct)).AdminReads();
        certificates.MapGet("/{name}", (string name, CertificateService s, CancellationToken ct) => s.GetAsync(name, ct)).AdminReads();
        certificates.MapPost("", async (CertificateAddRequest request, CertificateService s, CancellationToken ct) =>
            JobResults.Accepted(await s.AddAsync(request, ct).ConfigureAwait(false))).AdminChanges();
        certificates.MapPost("/acme", async (CertificateIssueRequest request, AcmeService s, CancellationToken ct) =>
            JobResults.Accepted(await s.IssueAsync(request, ct).ConfigureAwait(false))).AdminChanges();
        certificates.MapDelete("/{name}", async (string name, CertificateService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RemoveAsync(name, ct).ConfigureAwait(false))).AdminChanges();
        var bans = api.MapGroup("/domain-bans").WithTags("Proxy");
        bans.MapGet("", (DomainBanService s, CancellationToken ct) => s.ListAsync(ct)).AdminReads();
        bans.MapPost("", async (DomainBanRequest request, DomainBanService s, CancellationToken ct) =>
            Results.Created("/api/v1/domain-bans", await s.BanAsync(request, ct).ConfigureAwait(false))).AdminChanges();
        bans.MapDelete("/{pattern}", (string pattern, DomainBanService s, CancellationToken ct) => s.UnbanAsync(pattern, ct)).AdminChanges();
        return api;
    }
}
