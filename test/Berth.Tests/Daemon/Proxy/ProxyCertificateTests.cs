using Berth.Daemon.Proxy;

namespace Berth.Tests.Daemon.Proxy;

public sealed class ProxyCertificateTests
{
    private static ProxyCertificate Certificate(string name, params string[] domains) => new()
    {
        Name = name,
        Domains = domains,
        NotBefore = DateTimeOffset.UnixEpoch,
        NotAfter = DateTimeOffset.MaxValue,
        Fingerprint = "00",
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Theory]
    [InlineData("app.example.org", true)]
    [InlineData("APP.example.org", true)]
    [InlineData("example.org", false)]
    [InlineData("a.b.example.org", false)]
    [InlineData("app.example.org.evil.test", false)]
    [InlineData("appexample.org", false)]
    public void Covers_Wildcard_OneLabelOnly(string domain, bool covered) =>
        Assert.Equal(covered, Certificate("w", "*.example.org").Covers(domain));

    [Fact]
    public void CertificateFor_ExactBeforeWildcard()
    {
        var wildcard = Certificate("a-wild", "*.example.org");
        var exact = Certificate("z-exact", "wiki.example.org");
        Assert.Same(exact, NginxConfigRenderer.CertificateFor("wiki.example.org", [wildcard, exact]));
        Assert.Same(wildcard, NginxConfigRenderer.CertificateFor("ci.example.org", [wildcard, exact]));
        Assert.Null(NginxConfigRenderer.CertificateFor("example.net", [wildcard, exact]));
    }
}
