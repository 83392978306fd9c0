using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Contracts;

namespace Berth.Tests.Contracts;

public sealed class CertificateFingerprintTests
{
    private const string Canonical = "3B:F6:9E:68:D9:B0:E6:E8:DF:3D:D0:22:C9:69:37:F9:DE:6F:32:56:3B:38:B8:E1:BF:85:12:4D:2C:C2:51:F8";

    [Theory]
    [InlineData(Canonical)]
    [InlineData("3bf69e68d9b0e6e8df3dd022c96937f9de6f32563b38b8e1bf85124d2cc251f8")]
    [InlineData("sha256 Fingerprint=3B:F6:9E:68:D9:B0:E6:E8:DF:3D:D0:22:C9:69:37:F9:DE:6F:32:56:3B:38:B8:E1:BF:85:12:4D:2C:C2:51:F8")]
    [InlineData("SHA256:3bf69e68d9b0e6e8df3dd022c96937f9de6f32563b38b8e1bf85124d2cc251f8")]
    [InlineData("  3b:f6:9e:68:d9:b0:e6:e8:df:3d:d0:22:c9:69:37:f9:de:6f:32:56:3b:38:b8:e1:bf:85:12:4d:2c:c2:51:f8\n")]
    public void Normalize_PastedForms_GiveTheCanonicalForm(string text)
    {
        Assert.Equal(Canonical, CertificateFingerprint.Normalize(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3B:F6")]
    [InlineData("zz:F6:9E:68:D9:B0:E6:E8:DF:3D:D0:22:C9:69:37:F9:DE:6F:32:56:3B:38:B8:E1:BF:85:12:4D:2C:C2:51:F8")]
    public void Normalize_NotASha256_GivesNull(string text)
    {
        Assert.Null(CertificateFingerprint.Normalize(text));
    }

    [Fact]
    public void Of_Certificate_IsTheSha256OfItsDerInColonPairs()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        var fingerprint = CertificateFingerprint.Of(certificate);

        Assert.Equal(Convert.ToHexString(SHA256.HashData(certificate.RawData)), fingerprint.Replace(":", "", StringComparison.Ordinal));
        Assert.Equal(fingerprint, CertificateFingerprint.Normalize(fingerprint));
    }
}
