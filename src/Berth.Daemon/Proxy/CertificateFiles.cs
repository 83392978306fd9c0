using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Daemon.Api;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>PEM certificates and keys: checked (a pair, valid now, naming a DNS name) and written as nginx reads them.</summary>
public sealed class CertificateFiles(ProxyPaths paths, TimeProvider time)
{
    /// <summary>Checks a PEM certificate and key (a pair, valid now, naming a DNS name) and describes them; a 400 saying what is wrong otherwise.</summary>
    public ProxyCertificate Read(string name, string certificatePem, string keyPem, string origin)
    {
        if (!PemBlocks(certificatePem).Any(b => b.Label == "CERTIFICATE") || !PemBlocks(keyPem).Any(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)))
        {
            throw DomainError.Invalid("Not a PEM certificate", "give the certificate as PEM (-----BEGIN CERTIFICATE-----) and its key as PEM (-----BEGIN PRIVATE KEY-----, unencrypted).");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw DomainError.Invalid("Certificate and key do not fit", $"the certificate and key could not be read as a pair ({ex.Message}); give the certificate and its own private key.");
        }

        using (certificate)
        {
            var now = time.GetUtcNow();
            if (certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
            {
                throw DomainError.Invalid("Certificate not yet valid", $"the certificate is valid from {certificate.NotBefore.ToUniversalTime():u} only; add it then, or fix the host's clock.");
            }

            if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
            {
                throw DomainError.Invalid("Certificate expired", $"the certificate expired on {certificate.NotAfter.ToUniversalTime():u}; renew it.");
            }

            var names = DnsNames(certificate);
            if (names.Count == 0)
            {
                throw DomainError.Invalid("Certificate names no domain", "the certificate has no DNS name (subject alternative name or common name) to serve it for.");
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
}
