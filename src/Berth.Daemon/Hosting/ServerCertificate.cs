using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Daemon.Hosting;

/// <summary>
/// The HTTPS listener's certificate: the PEM pair given with --tls-cert/--tls-key, or a self-signed ECDSA P-256 one made
/// at the first start under STATE_DIR/tls and kept, so a client that pinned its fingerprint keeps trusting it.
/// </summary>
public static class ServerCertificate
{
    public const string CertificateFile = "cert.pem";
    public const string KeyFile = "key.pem";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Loads the certificate to serve, making the self-signed one when there is none; one-line <see cref="InvalidDataException"/> when a file is unusable.</summary>
    public static X509Certificate2 LoadOrCreate(BerthOptions options, StatePaths paths, IPEndPoint? listen)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(paths);
        if (options.TlsCert is { Length: > 0 } cert && options.TlsKey is { Length: > 0 } key)
        {
            return Load(cert, key, $"--tls-cert {cert} with --tls-key {key}");
        }

        var certPath = Path.Combine(paths.TlsDir, CertificateFile);
        var keyPath = Path.Combine(paths.TlsDir, KeyFile);
        if (!File.Exists(certPath))
        {
            Directory.CreateDirectory(paths.TlsDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var creating = LockCreation(paths.TlsDir);
            if (!File.Exists(certPath))
            {
                Create(paths.TlsDir, listen);
            }
        }

        return Load(certPath, keyPath, $"the self-signed certificate {certPath} (delete {paths.TlsDir} to make a new one)");
    }

    /// <summary>The certificate already in use, without making one: what <c>berthd --print-fingerprint</c> reads when there is no --https.</summary>
    public static X509Certificate2 LoadExisting(BerthOptions options, StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(paths);
        if (options.TlsCert is { Length: > 0 } || File.Exists(Path.Combine(paths.TlsDir, CertificateFile)))
        {
            return LoadOrCreate(options, paths, null);
        }

        throw new InvalidDataException($"no HTTPS certificate in {paths.TlsDir}: berthd makes one at its first start with --https ADDRESS:PORT");
    }

    /// <summary><c>berthd --print-fingerprint</c>: the fingerprint alone on stdout (made first with --https), or one line on stderr and 1.</summary>
    public static int PrintFingerprint(BerthOptions options, StatePaths paths, IPEndPoint? https)
    {
        try
        {
            using var certificate = https is null ? LoadExisting(options, paths) : LoadOrCreate(options, paths, https);
            Console.Out.WriteLine(Contracts.CertificateFingerprint.Of(certificate));
            return 0;
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"berthd: {e.Message}");
            return 1;
        }
    }

    private static X509Certificate2 Load(string certPath, string keyPath, string what)
    {
        foreach (var path in (string[])[certPath, keyPath])
        {
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"{what}: {path} does not exist");
            }
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{what}: not a PEM certificate and its matching PEM private key ({e.Message.Trim().TrimEnd('.')})", e);
        }
    }

    /// <summary>berthd --print-fingerprint may run while the daemon makes the certificate: one key and one certificate, never a mismatched pair.</summary>
    private static FileStream LockCreation(string directory)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(Path.Combine(directory, ".lock"), new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, UnixCreateMode = OwnerOnly });
            }
            catch (IOException) when (attempt < 100)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static void Create(string directory, IPEndPoint? listen)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var host = Dns.GetHostName();
        var request = new CertificateRequest(new X500DistinguishedName($"CN={host}"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (listen is not null && !listen.Address.Equals(IPAddress.Any) && !listen.Address.Equals(IPAddress.IPv6Any) && !IPAddress.IsLoopback(listen.Address))
        {
            names.AddIpAddress(listen.Address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

        // The key first and the certificate last, each renamed into place whole: the certificate's presence means both are there.
        WritePrivate(Path.Combine(directory, KeyFile), key.ExportPkcs8PrivateKeyPem());
        WritePrivate(Path.Combine(directory, CertificateFile), certificate.ExportCertificatePem());
    }

    private static void WritePrivate(string path, string text)
    {
        var temporary = $"{path}.{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}.tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        File.SetUnixFileMode(temporary, OwnerOnly);
        File.Move(temporary, path, overwrite: true);
    }
}
