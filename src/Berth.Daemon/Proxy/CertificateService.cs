using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Jobs;
using Berth.Daemon.Store;

namespace Berth.Daemon.Proxy;

/// <summary>Certificates from files: the key must match, the certificate must be valid now; stored, then applied to nginx by a job.</summary>
public sealed partial class CertificateService(CertificateStore certificates, AcmeStore acme, RouteStore routes, ProxyPaths paths, JobQueue jobs, TimeProvider time)
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
            throw BerthProblem.BadRequest("Invalid certificate name", $"'{request.Name}' is not a certificate name: 1-63 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit.");
        }

        var record = Read(request.Name!, request.Certificate, request.Key, CertificateOrigins.File);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if ((await certificates.ListAsync(cancellationToken).ConfigureAwait(false)).Any(c => c.Name == record.Name)
                || await acme.GetAsync(record.Name, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw BerthProblem.Conflict("Certificate exists", $"there is a certificate named '{record.Name}' already; remove it first or choose another name.");
            }

            // The files first (nginx reads them once the row exists), the key readable by root only.
            await WriteFilesAsync(record.Name, request.Certificate, request.Key, cancellationToken).ConfigureAwait(false);
            if (!await certificates.TryInsertAsync(record, cancellationToken).ConfigureAwait(false))
            {
                throw BerthProblem.Conflict("Certificate exists", $"there is a certificate named '{record.Name}' already.");
            }

            return await jobs.SubmitAsync(ProxyJobKinds.CertificateAdd, ProxyJobKinds.Target, new CertificateArgs(record.Name), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks a PEM certificate and key (a pair, valid now, naming a DNS name) and describes them; a 400 saying what is wrong otherwise.</summary>
    public ProxyCertificate Read(string name, string certificatePem, string keyPem, string origin)
    {
        if (!PemBlocks(certificatePem).Any(b => b.Label == "CERTIFICATE") || !PemBlocks(keyPem).Any(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)))
        {
            throw BerthProblem.BadRequest("Not a PEM certificate", "give the certificate as PEM (-----BEGIN CERTIFICATE-----) and its key as PEM (-----BEGIN PRIVATE KEY-----, unencrypted).");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw BerthProblem.BadRequest("Certificate and key do not fit", $"the certificate and key could not be read as a pair ({ex.Message}); give the certificate and its own private key.");
        }

        using (certificate)
        {
            var now = time.GetUtcNow();
            if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                throw BerthProblem.BadRequest("Certificate not yet valid", $"the certificate is valid from {certificate.NotBefore.ToUniversalTime():u} only; add it then, or fix the host's clock.");
            }

            if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
            {
                throw BerthProblem.BadRequest("Certificate expired", $"the certificate expired on {certificate.NotAfter.ToUniversalTime():u}; renew it.");
            }

            var names = DnsNames(certificate);
            if (names.Count == 0)
            {
                throw BerthProblem.BadRequest("Certificate names no domain", "the certificate has no DNS name (subject alternative name or common name) to serve it for.");
            }

            return new ProxyCertificate
            {
                Name = name,
                Domains = names,
                NotBefore = certificate.NotBefore.ToUniversalTime(),
                NotAfter = certificate.NotAfter.ToUniversalTime(),
                Fingerprint = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256)),
                CreatedAt = now,
                Origin = origin,
            };
        }
    }

    /// <summary>Writes NAME.key and NAME.crt (0600, each by a rename): only the key block and the CERTIFICATE blocks of the texts.</summary>
    public async Task WriteFilesAsync(string name, string certificatePem, string keyPem, CancellationToken cancellationToken)
    {
        paths.Ensure();
        await WriteAsync(paths.KeyFile(name), KeyPem(keyPem), cancellationToken).ConfigureAwait(false);
        await WriteAsync(paths.CertificateFile(name), CertificatePem(certificatePem), cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        if ((await certificates.ListAsync(cancellationToken).ConfigureAwait(false)).All(c => c.Name != name) && await acme.GetAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            throw NotFound(name);
        }

        return await jobs.SubmitAsync(ProxyJobKinds.CertificateRemove, ProxyJobKinds.Target, new CertificateArgs(name), cancellationToken).ConfigureAwait(false);
    }

    private static BerthProblem NotFound(string name) =>
        BerthProblem.NotFound("Certificate not found", $"there is no certificate named '{name}'; 'berth cert list' shows them.");

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

    private static List<string> DnsNames(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var names = san is null ? [] : san.EnumerateDnsNames().ToList();
        if (names.Count == 0 && certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false) is { Length: > 0 } cn)
        {
            names.Add(cn);
        }

        return [.. names.Select(n => n.ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Only the CERTIFICATE blocks of the text (leaf first, as given), so nothing else reaches nginx's file.</summary>
    private static string CertificatePem(string text) => string.Concat(PemBlocks(text).Where(b => b.Label == "CERTIFICATE").Select(b => b.Text + "\n"));

    private static string KeyPem(string text) => PemBlocks(text).First(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)).Text + "\n";

    private static IEnumerable<(string Label, string Text)> PemBlocks(string text)
    {
        var rest = text.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            yield return (rest.Span[fields.Label].ToString(), rest.Span[fields.Location].ToString());
            rest = rest[fields.Location.End..];
        }
    }

    private static async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, "", cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(temp, text, cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
