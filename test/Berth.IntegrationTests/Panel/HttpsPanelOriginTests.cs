using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Panel;

/// <summary>Over HTTPS the panel is reached by the names its certificate holds, and still not from a page of another name.</summary>
public sealed class HttpsPanelOriginTests
{
    private const string ServedName = "berth-panel.test";

    [Theory]
    [InlineData($"https://{ServedName}", HttpStatusCode.OK)]
    [InlineData("https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData($"http://{ServedName}", HttpStatusCode.Forbidden)]
    public async Task Login_OverHttps_FromTheCertificatesNameOnly(string origin, HttpStatusCode expected)
    {
        await using var env = new GivenCertificateEnvironment();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={ServedName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(ServedName);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Directory.CreateDirectory(env.StateDir);
        var certFile = Path.Combine(env.StateDir, "given-cert.pem");
        var keyFile = Path.Combine(env.StateDir, "given-key.pem");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var portText = port.ToString(CultureInfo.InvariantCulture);
        env.Arguments = ["--https", $"127.0.0.1:{portText}", "--tls-cert", certFile, "--tls-key", keyFile];
        await env.InitializeAsync();
        var fingerprint = CertificateFingerprint.Of(certificate);
        using var handler = new SocketsHttpHandler { UseCookies = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, served, _, _) => served is not null && CertificateFingerprint.Of(served) == fingerprint;
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{portText}/") };
        using var login = new HttpRequestMessage(HttpMethod.Post, "api/v1/auth/login")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["token"] = File.ReadAllText(Path.Combine(env.StateDir, "admin.token")).Trim() }), System.Text.Encoding.UTF8, "application/json"),
        };
        login.Headers.Add("Origin", $"{origin}:{portText}");

        using var response = await http.SendAsync(login);

        Assert.True(expected == response.StatusCode, $"{origin}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(expected == HttpStatusCode.OK, response.Headers.Contains("Set-Cookie"));
    }

    private sealed class GivenCertificateEnvironment : BerthEnvironment, IAsyncDisposable
    {
        public string[] Arguments { get; set; } = [];

        protected override string[] DaemonArguments => Arguments;

        ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
    }
}
