using System.Text.RegularExpressions;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>ACME certificates: asked for by 'berth cert issue' or a route's --tls auto, obtained and renewed by cert.issue jobs.</summary>
public sealed partial class AcmeService(AcmeStore acme, CertificateStore certificates, RouteStore routes, JobStore jobStore, JobQueue jobs, IOptions<ProxyOptions> options, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Refuses ACME when berthd lacks what it needs for <paramref name="challenge"/>.</summary>
    public void RequireConfigured(string challenge)
    {
        if (options.Value.AcmeEmail is not { Length: > 0 })
        {
            throw AcmeSettings.NoEmail();
        }

        if (challenge == AcmeChallenges.Dns && options.Value.AcmeDnsHook is not { Length: > 0 })
        {
            throw AcmeSettings.NoDnsHook();
        }

        if (challenge == AcmeChallenges.Http && options.Value.HttpEndpoint is null)
        {
            throw ReverseProxy.ProxyOff();
        }
    }

    /// <summary>'berth cert issue': checks the names and settings, records the request and starts its first order.</summary>
    public async Task<JobRecord> IssueAsync(CertificateIssueRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Name().IsMatch(request.Name ?? ""))
        {
            throw DomainError.Invalid("Invalid certificate name", $"'{request.Name}' is not a certificate name: 1-63 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.");
        }

        if (request.Domains is not { Count: > 0 and <= 100 })
        {
            throw DomainError.Invalid("No domains", "give the certificate's domains (1-100), e.g. example.org or *.example.org.");
        }

        var domains = new List<string>();
        foreach (var text in request.Domains)
        {
            var wildcard = text?.StartsWith("*.", StringComparison.Ordinal) == true;
            if (!DomainName.TryNormalise(wildcard ? text![2..] : text, out var ascii, out var error))
            {
                throw DomainError.Invalid("Invalid domain", error + ".");
            }

            domains.Add(wildcard ? "*." + ascii : ascii);
        }

        domains = [.. domains.Distinct(StringComparer.Ordinal)];
        var challenge = request.Challenge ?? (domains.Any(d => d.StartsWith('*')) ? AcmeChallenges.Dns : AcmeChallenges.Http);
        if (challenge is not (AcmeChallenges.Http or AcmeChallenges.Dns))
        {
            throw DomainError.Invalid("Invalid challenge", $"'{challenge}' is not a challenge Berth answers; give http or dns.");
        }

        if (challenge == AcmeChallenges.Http && domains.FirstOrDefault(d => d.StartsWith('*')) is { } star)
        {
            throw DomainError.Invalid("A wildcard needs DNS-01", $"{star} can only be validated through DNS; give challenge: dns (berthd needs --acme-dns-hook).");
        }

        RequireConfigured(challenge);
        if (challenge == AcmeChallenges.Http)
        {
            // HTTP-01 is answered by the proxy, which serves (and runs) only for routed names.
            var routed = (await routes.ListAsync(null, cancellationToken).ConfigureAwait(false)).Select(r => r.Domain).ToHashSet(StringComparer.Ordinal);
            if (domains.FirstOrDefault(d => !routed.Contains(d)) is { } missing)
            {
                throw DomainError.Conflict("Domain not routed", $"{missing} has no route, so the proxy cannot answer its HTTP-01 challenge; add a route first, or use the dns challenge.");
            }
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if ((await certificates.ListAsync(cancellationToken).ConfigureAwait(false)).Any(c => c.Name == request.Name)
                || !await acme.TryInsertAsync(new AcmeRequest { Name = request.Name!, Domains = domains, Challenge = challenge, CreatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false))
            {
                throw DomainError.Conflict("Certificate exists", $"there is a certificate named '{request.Name}' already; remove it first or choose another name.");
            }

            return await SubmitAsync(request.Name!, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A route's --tls auto: makes sure its domain's certificate is asked for; the order starts unless one runs or it exists.</summary>
    public async Task RequestForRouteAsync(string domain, CancellationToken cancellationToken)
    {
        var name = AcmeRequest.NameFor(domain);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _ = await acme.TryInsertAsync(new AcmeRequest { Name = name, Domains = [domain], Challenge = AcmeChallenges.Http, ForRoute = true, CreatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            if ((await certificates.ListAsync(cancellationToken).ConfigureAwait(false)).All(c => c.Name != name) && !await InFlightAsync(name, cancellationToken).ConfigureAwait(false))
            {
                await SubmitAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts an order unless one is queued or running; under the same lock as a route's request, so the two never both start one.</summary>
    public async Task<bool> OrderUnlessInFlightAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await InFlightAsync(name, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            await SubmitAsync(name, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether an order for the certificate is queued or running.</summary>
    public async Task<bool> InFlightAsync(string name, CancellationToken cancellationToken)
    {
        var target = ProxyJobKinds.AcmeTarget(name);
        return jobs.IsBusy(target) || (await jobStore.ListByStatusAsync(JobStatus.Queued, cancellationToken).ConfigureAwait(false)).Any(j => j.Target == target);
    }

    public Task<JobRecord> SubmitAsync(string name, CancellationToken cancellationToken) =>
        jobs.SubmitAsync(ProxyJobKinds.CertificateIssue, ProxyJobKinds.AcmeTarget(name), new CertificateArgs(name), cancellationToken);

    /// <summary>The wait before the next attempt after <paramref name="failures"/> failures in a row: doubling from the base, up to the maximum.</summary>
    public static TimeSpan Backoff(int failures, TimeSpan first, TimeSpan max) =>
        failures <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks * (1L << Math.Min(failures - 1, 30))));

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
