using Berth.Contracts;
using Berth.Daemon.Api;

namespace Berth.Daemon.Proxy;

/// <summary>/api/v1/routes.</summary>
public static class ProxyEndpoints
{
    public static IEndpointRouteBuilder MapBerthProxy(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/routes").WithTags("Proxy");
        group.MapGet("", (string? container, RouteService s, CancellationToken ct) => s.ListAsync(container, ct));
        group.MapPost("", async (RouteRequest request, RouteService s, CancellationToken ct) =>
            JobResults.Accepted(await s.AddAsync(request, ct).ConfigureAwait(false)));
        group.MapDelete("/{domain}", async (string domain, string? path, RouteService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RemoveAsync(domain, path, ct).ConfigureAwait(false)));
        var certificates = api.MapGroup("/certificates").WithTags("Proxy");
        certificates.MapGet("", (CertificateService s, CancellationToken ct) => s.ListAsync(ct));
        certificates.MapGet("/{name}", (string name, CertificateService s, CancellationToken ct) => s.GetAsync(name, ct));
        certificates.MapPost("", async (CertificateAddRequest request, CertificateService s, CancellationToken ct) =>
            JobResults.Accepted(await s.AddAsync(request, ct).ConfigureAwait(false)));
        certificates.MapPost("/acme", async (CertificateIssueRequest request, AcmeService s, CancellationToken ct) =>
            JobResults.Accepted(await s.IssueAsync(request, ct).ConfigureAwait(false)));
        certificates.MapDelete("/{name}", async (string name, CertificateService s, CancellationToken ct) =>
            JobResults.Accepted(await s.RemoveAsync(name, ct).ConfigureAwait(false)));
        var bans = api.MapGroup("/domain-bans").WithTags("Proxy");
        bans.MapGet("", (DomainBanService s, CancellationToken ct) => s.ListAsync(ct));
        bans.MapPost("", async (DomainBanRequest request, DomainBanService s, CancellationToken ct) =>
            Results.Created("/api/v1/domain-bans", await s.BanAsync(request, ct).ConfigureAwait(false)));
        bans.MapDelete("/{pattern}", (string pattern, DomainBanService s, CancellationToken ct) => s.UnbanAsync(pattern, ct));
        return api;
    }
}
