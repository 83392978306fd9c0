using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Contracts;
using Berth.Daemon.Hosting;

namespace Berth.Tests.Daemon.Hosting;

public sealed class ServerCertificateTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void LoadOrCreate_NoCertificate_MakesSelfSignedP256WithNamesInPrivateFilesAndKeepsIt()
    {
        using var dir = new TempDirectory();
        var options = new BerthOptions { StateDir = dir.Path, Https = "192.0.2.7:8443" };
        var paths = new StatePaths(options);

        using var first = ServerCertificate.LoadOrCreate(options, paths, IPEndPoint.Parse("192.0.2.7:8443"));
        using var second = ServerCertificate.LoadOrCreate(options, paths, IPEndPoint.Parse("192.0.2.7:8443"));

        Assert.Equal(CertificateFingerprint.Of(first), CertificateFingerprint.Of(second));
        Assert.True(first.HasPrivateKey);
        using var key = first.GetECDsaPublicKey();
        Assert.Equal(256, key!.KeySize);
        var names = first.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains(Dns.GetHostName(), names.EnumerateDnsNames());
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Parse("192.0.2.7"), names.EnumerateIPAddresses());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(paths.TlsDir, ServerCertificate.KeyFile)));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(Path.Combine(paths.TlsDir, ServerCertificate.CertificateFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(paths.TlsDir));
    }

    [Fact]
    public void LoadOrCreate_GivenPemPair_ServesThatCertificate()
    {
        using var dir = new TempDirectory();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var made = new CertificateRequest("CN=given", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(dir.File("c.pem"), made.ExportCertificatePem());
        File.WriteAllText(dir.File("k.pem"), key.ExportPkcs8PrivateKeyPem());
        var options = new BerthOptions { StateDir = dir.Path, TlsCert = dir.File("c.pem"), TlsKey = dir.File("k.pem") };

        using var served = ServerCertificate.LoadOrCreate(options, new StatePaths(options), null);

        Assert.Equal(CertificateFingerprint.Of(made), CertificateFingerprint.Of(served));
        Assert.False(Directory.Exists(new StatePaths(options).TlsDir));
    }

    [Theory]
    [InlineData("not a certificate", "not a key", "not a PEM certificate and its matching PEM private key")]
    [InlineData(null, "", "does not exist")]
    public void LoadOrCreate_UnusableFiles_ThrowsOneLineNamingThem(string? certText, string keyText, string expected)
    {
        using var dir = new TempDirectory();
        if (certText is not null)
        {
            File.WriteAllText(dir.File("c.pem"), certText);
        }

        File.WriteAllText(dir.File("k.pem"), keyText);
        var options = new BerthOptions { StateDir = dir.Path, TlsCert = dir.File("c.pem"), TlsKey = dir.File("k.pem") };

        var ex = Assert.Throws<InvalidDataException>(() => ServerCertificate.LoadOrCreate(options, new StatePaths(options), null));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir.File("c.pem"), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void LoadExisting_NoCertificateYet_ThrowsPointingToHttps()
    {
        using var dir = new TempDirectory();
        var options = new BerthOptions { StateDir = dir.Path };

        var ex = Assert.Throws<InvalidDataException>(() => ServerCertificate.LoadExisting(options, new StatePaths(options)));

        Assert.Contains("--https", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(new StatePaths(options).TlsDir));
    }
}
