using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Hosting;

/// <summary>The Unix socket serves root whatever happens to the network listener: a taken port, a bad certificate.</summary>
public sealed class NetworkListenerFailureTests
{
    [Fact]
    public async Task HttpsPortTaken_SocketServesRoot_HttpsComesUpOnceThePortIsFree()
    {
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var address = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        await using var env = new ListenerBerthEnvironment();
        try
        {
            env.Arguments = ["--https", address, "--Berth:ListenRetryInterval", "00:00:01"];
            await env.InitializeAsync();

            var list = await CliRunner.RunAsync(env.StateDir, "list");
            Assert.True(list.ExitCode == 0, list.ToString());
            await WaitForLogAsync(env, $"Cannot listen on https://{address}");
            Assert.Single(env.Daemon.Log.Split('\n'), line => line.Contains($"Cannot listen on https://{address}", StringComparison.Ordinal) && line.Contains("address already in use", StringComparison.Ordinal));
        }
        finally
        {
            holder.Stop();
        }

        var fingerprint = await WaitForHttpsAsync(new Uri($"https://{address}/"));
        using var client = new BerthClient(new Uri($"https://{address}/"), File.ReadAllText(Path.Combine(env.StateDir, "admin.token")), fingerprint);
        Assert.NotNull(await client.GetServerInfoAsync());
        Assert.Contains($"certificate SHA-256 fingerprint {fingerprint}", env.Daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadCertificateFiles_SocketServesRootAndTheLogSaysWhy_FixedFilesAreServed()
    {
        await using var env = new ListenerBerthEnvironment();
        var port = FreePort();
        var address = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var tlsFiles = Path.Combine(env.StateDir, "given-tls");
        Directory.CreateDirectory(tlsFiles);
        var cert = Path.Combine(tlsFiles, "cert.pem");
        var key = Path.Combine(tlsFiles, "key.pem");
        File.WriteAllText(cert, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        File.WriteAllText(key, "not a key\n");
        env.Arguments = ["--https", address, "--tls-cert", cert, "--tls-key", key, "--Berth:ListenRetryInterval", "00:00:01"];
        await env.InitializeAsync();

        var list = await CliRunner.RunAsync(env.StateDir, "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        await WaitForLogAsync(env, "not a PEM certificate");
        var line = env.Daemon.Log.Split('\n').First(l => l.Contains("not a PEM certificate", StringComparison.Ordinal));
        Assert.Contains($"Cannot listen on https://{address}: --tls-cert {cert} with --tls-key {key}: not a PEM certificate and its matching PEM private key", line, StringComparison.Ordinal);
        var (code, stdout, stderr) = await Host.RunAsync(TestHost.Dotnet, TestHost.DaemonDll, "--print-fingerprint", "--state-dir", env.StateDir, "--https", address, "--tls-cert", cert, "--tls-key", key);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"berthd: --tls-cert {cert} with --tls-key {key}: not a PEM certificate", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(env.StateDir, "tls")));

        // The operator fixes the files; the next attempt serves them, without a restart.
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var made = new CertificateRequest("CN=fixed", ecdsa, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(key, ecdsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(cert, made.ExportCertificatePem());
        Assert.Equal(CertificateFingerprint.Of(made), await WaitForHttpsAsync(new Uri($"https://{address}/")));
    }

    [Fact]
    public async Task HttpBeyondLoopback_IsRefusedAtStartPointingToHttps()
    {
        await using var env = new ListenerBerthEnvironment { Arguments = ["--http", "0.0.0.0:" + FreePort().ToString(CultureInfo.InvariantCulture)] };

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(env.InitializeAsync);

        Assert.Contains("berthd exited with 2", refused.Message, StringComparison.Ordinal);
        var line = refused.Message.Split('\n').Single(l => l.StartsWith("berthd: ", StringComparison.Ordinal));
        Assert.Contains("plain HTTP is served on loopback only", line, StringComparison.Ordinal);
        Assert.Contains("use --https 0.0.0.0:", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(env.StateDir, "unix.socket")));
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task WaitForLogAsync(BerthEnvironment env, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!env.Daemon.Log.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"berthd never logged '{text}':\n{env.Daemon.Log}");
            await Task.Delay(100);
        }
    }

    private static async Task<string> WaitForHttpsAsync(Uri url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await BerthClient.GetServerFingerprintAsync(url);
            }
            catch (BerthConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>An environment whose daemon switches are set before it starts.</summary>
    private sealed class ListenerBerthEnvironment : BerthEnvironment, IAsyncDisposable
    {
        public string[] Arguments { get; set; } = [];

        protected override string[] DaemonArguments => Arguments;

        ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
    }
}
