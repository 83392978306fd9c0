using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>Certificates from files: the key must match, the certificate must be valid now; stored, then applied to nginx by a job.</summary>
public sealed partial class CertificateService(CertificateStore certificates, AcmeStore acme, RouteStore routes, CertificateFiles files, JobQueue jobs, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IReadOnlyList<CertificateInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var all = await certificates.ListAsync(cancellationToken).ConfigureAwait(false);
        var requests = (await acme.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var domains = (await routes.ListAsync(null, cancellationToken).ConfigureAwait(false)).GroupBy(r => r.Domain, StringComparer.Ordinal).ToList();
        return [.. all.Select(c => Describe(c, requests.GetValueOrDefault(c.Name), [.. domains.Where(d => NginxConfigRenderer.ServedCertificate(d.Key, [.. d], all)?.Name == c.Name).Select(d => d.Key)]))];
    }

    public async Task<CertificateInfo> GetAsync(string name, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Name == name) ?? throw NotFound(name);

    public async Task<JobRecord> AddAsync(CertificateAddRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Name().IsMatch(request.Name ?? ""))
        {
            throw DomainError.Invalid("Invalid certificate name", $"'{request.Name}' is not a certificate name: 1-63 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.");
        }

        var record = files.Read(request.Name!, request.Certificate, request.Key, CertificateOrigins.File);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if ((await certificates.ListAsync(cancellationToken).ConfigureAwait(false)).Any(c => c.Name == record.Name)
                || await acme.GetAsync(record.Name, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw DomainError.Conflict("Certificate exists", $"there is a certificate named '{record.Name}' already; remove it first or choose another name.");
            }

            // The files first (nginx reads them once the row exists), the key readable by root only.
            await files.WriteFilesAsync(record.Name, request.Certificate, request.Key, cancellationToken).ConfigureAwait(false);
            if (!await certificates.TryInsertAsync(record, cancellationToken).ConfigureAwait(false))
            {
                throw DomainError.Conflict("Certificate exists", $"there is a certificate named '{record.Name}' already.");
            }

            return await jobs.SubmitAsync(ProxyJobKinds.CertificateAdd, ProxyJobKinds.Target, new CertificateArgs(record.Name), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<JobRecord> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        if ((await certificates.ListAsync(cancellationToken).ConfigureAwait(false)).All(c => c.Name != name) && await acme.GetAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            throw NotFound(name);
        }

        return await jobs.SubmitAsync(ProxyJobKinds.CertificateRemove, ProxyJobKinds.Target, new CertificateArgs(name), cancellationToken).ConfigureAwait(false);
    }

    private static DomainError NotFound(string name) =>
        DomainError.NotFound("Certificate not found", $"there is no certificate named '{name}'; GET /api/v1/certificates lists them.");

    private CertificateInfo Describe(ProxyCertificate c, AcmeRequest? request, IReadOnlyList<string> servedFor) => new()
    {
        Name = c.Name,
        Domains = c.Domains,
        NotBefore = c.NotBefore,
        NotAfter = c.NotAfter,
        DaysLeft = (int)Math.Floor((c.NotAfter - time.GetUtcNow()).TotalDays),
        Fingerprint = c.Fingerprint,
        Origin = c.Origin,
        RenewAt = c.Origin == CertificateOrigins.Acme ? c.RenewAt : null,
        LastError = request?.LastError,
        Warning = Warning(c, request),
        ServedFor = servedFor,
    };

    /// <summary>Past two thirds of its lifetime a certificate should have been renewed; saying so is what keeps renewal from failing silently.</summary>
    private string? Warning(ProxyCertificate c, AcmeRequest? request)
    {
        var now = time.GetUtcNow();
        if (now >= c.NotAfter)
        {
            return request?.LastError is { } expiredError ? $"expired; renewal fails: {expiredError}" : "expired";
        }

        if (now < c.RenewAt)
        {
            return null;
        }

        return c.Origin == CertificateOrigins.Acme
            ? request?.LastError is { } error ? $"less than a third of its lifetime left; renewal fails: {error}" : "less than a third of its lifetime left; renewal is under way"
            : "less than a third of its lifetime left; add a renewed certificate";
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
