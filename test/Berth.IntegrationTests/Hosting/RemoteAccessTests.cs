using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Berth.Client;
using Berth.Contracts;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Hosting;

/// <summary>The CLI against a berthd over HTTPS: a remote added with the certificate's fingerprint, then used as the socket is.</summary>
public sealed class RemoteAccessTests(HttpsBerthEnvironment env) : IClassFixture<HttpsBerthEnvironment>
{
    [Fact]
    public async Task RemoteAdd_WithPrintedFingerprint_ListExecAndEventsGoOverHttps_TokenNeverShown()
    {
        var served = await env.WaitForHttpsAsync();
        var (code, printed, error) = await Host.RunAsync(TestHost.Dotnet, TestHost.DaemonDll, "--print-fingerprint", "--state-dir", env.StateDir);
        Assert.True(code == 0, error);
        var fingerprint = printed.Trim();
        Assert.Equal(served, fingerprint);
        var token = env.AdminToken;
        var runs = new List<CliResult>();
        async Task<CliResult> Cli(string? stdin, params string[] args)
        {
            var result = await env.RemoteCliAsync(stdin, args);
            runs.Add(result);
            return result;
        }

        var added = await Cli(token + "\n", "remote", "add", "prod", env.BaseAddress.ToString(), "--token-stdin", "--fingerprint", fingerprint.ToLowerInvariant());
        Assert.True(added.ExitCode == 0, added.ToString());
        var name = env.Name("https");
        await env.LaunchAsync(name);

        // BERTH_DIR points where no daemon is: these can only have gone over HTTPS.
        var listed = await Cli(null, "--remote", "prod", "list");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(name, listed.Stdout, StringComparison.Ordinal);
        var exec = await Cli(null, "--remote", "prod", "exec", name, "--", "echo", "over-https");
        Assert.True(exec.ExitCode == 0, exec.ToString());
        Assert.Equal("over-https\n", exec.Stdout);
        var info = await env.RemoteCliAsync(env.ConfigHome(), null, new Dictionary<string, string> { ["BERTH_REMOTE"] = "prod" }, "info", name);
        runs.Add(info);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains(name, info.Stdout, StringComparison.Ordinal);

        // remote use makes it the default; remote use local goes back to the (here absent) socket.
        Assert.Equal(0, (await Cli(null, "remote", "use", "prod")).ExitCode);
        Assert.Contains(name, (await Cli(null, "list")).Stdout, StringComparison.Ordinal);
        var tableList = await Cli(null, "remote", "list");
        var jsonList = await Cli(null, "remote", "list", "--format", "json");
        Assert.Contains(fingerprint, tableList.Stdout, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(jsonList.Stdout).RootElement.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "prod").GetProperty("current").GetBoolean());
        Assert.Equal(0, (await Cli(null, "remote", "use", "local")).ExitCode);
        var local = await Cli(null, "list");
        Assert.NotEqual(0, local.ExitCode);
        Assert.Contains("no-daemon-here", local.Stderr, StringComparison.Ordinal);

        // The event stream over HTTPS with the pinned certificate and the token.
        using var client = new BerthClient(env.BaseAddress, token, fingerprint);
        var events = new List<BerthEvent>();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                await foreach (var e in client.StreamEventsAsync(0, cts.Token))
                {
                    events.Add(e);
                }
            }
            catch (OperationCanceledException)
            {
                // The backlog has been read.
            }
        }

        Assert.Contains(events, e => e.Target == name);

        var file = Path.Combine(env.ConfigHome(), "berth", "remotes.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        foreach (var run in runs)
        {
            Assert.DoesNotContain(token, run.Stdout + run.Stderr, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(token, env.Daemon.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoteAdd_WrongOrUnconfirmedFingerprint_IsRefusedAndNothingIsKept()
    {
        var served = await env.WaitForHttpsAsync();
        var configHome = env.ConfigHome("refused");
        var wrong = (served[0] == '0' ? "1" : "0") + served[1..];

        var mismatch = await env.RemoteCliAsync(configHome, env.AdminToken + "\n", new Dictionary<string, string>(), "remote", "add", "evil", env.BaseAddress.ToString(), "--token-stdin", "--fingerprint", wrong);
        var unconfirmed = await env.RemoteCliAsync(configHome, env.AdminToken + "\n", new Dictionary<string, string>(), "remote", "add", "evil", env.BaseAddress.ToString(), "--token-stdin");

        Assert.Equal(1, mismatch.ExitCode);
        Assert.Equal($"berth: error: {env.Authority} presents a certificate with SHA-256 fingerprint {served}, not {wrong}: refusing it (someone may be in between, or the server has another certificate)", mismatch.Stderr.Trim());
        Assert.Equal(1, unconfirmed.ExitCode);
        Assert.Contains($"presents a certificate with SHA-256 fingerprint {served}", unconfirmed.Stderr, StringComparison.Ordinal);
        Assert.Contains($"pass --fingerprint {served}", unconfirmed.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(configHome, "berth", "remotes.json")));
        Assert.DoesNotContain(env.AdminToken, mismatch.Stderr + mismatch.Stdout + unconfirmed.Stderr + unconfirmed.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The attack: something else answers on the remote's address (a man in the middle) with its own certificate.</summary>
    [Fact]
    public async Task Remote_ServerWithAnotherCertificate_IsRefusedBeforeAnyRequestOrToken()
    {
        var served = await env.WaitForHttpsAsync();
        var configHome = env.ConfigHome("mitm");
        await using var impostor = await ImpostorServer.StartAsync();
        var impostorUrl = $"https://127.0.0.1:{impostor.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/";

        // A remote the user added with the real fingerprint, whose address now leads to the impostor.
        var added = await env.RemoteCliAsync(configHome, env.AdminToken + "\n", new Dictionary<string, string>(), "remote", "add", "prod", env.BaseAddress.ToString(), "--token-stdin", "--fingerprint", served);
        Assert.True(added.ExitCode == 0, added.ToString());
        var file = Path.Combine(configHome, "berth", "remotes.json");
        File.WriteAllText(file, File.ReadAllText(file).Replace(env.BaseAddress.ToString(), impostorUrl, StringComparison.Ordinal));

        var listed = await env.RemoteCliAsync(configHome, null, new Dictionary<string, string>(), "--remote", "prod", "list");
        var exec = await env.RemoteCliAsync(configHome, null, new Dictionary<string, string>(), "--remote", "prod", "exec", env.Name("none"), "--", "true");
        var addAgain = await env.RemoteCliAsync(configHome, env.AdminToken + "\n", new Dictionary<string, string>(), "remote", "add", "other", impostorUrl, "--token-stdin", "--fingerprint", served);

        Assert.Equal(1, listed.ExitCode);
        Assert.Contains($"presented a certificate with SHA-256 fingerprint {impostor.Fingerprint}, not the pinned {served}", listed.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, exec.ExitCode);
        Assert.Contains("not the pinned", exec.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, addAgain.ExitCode);
        Assert.True(impostor.Handshakes > 0, "the impostor was never reached");
        Assert.Equal(0, impostor.ApplicationBytes);
        Assert.DoesNotContain("\"other\"", File.ReadAllText(file), StringComparison.Ordinal);
    }

    /// <summary>A TLS server with a certificate of its own that counts the bytes a client sends after the handshake.</summary>
    private sealed class ImpostorServer : IAsyncDisposable
    {
        private readonly TcpListener listener;
        private readonly X509Certificate2 certificate;
        private readonly CancellationTokenSource stop = new();
        private readonly Task accepting;
        private int handshakes;
        private long applicationBytes;

        private ImpostorServer(TcpListener listener, X509Certificate2 certificate)
        {
            this.listener = listener;
            this.certificate = certificate;
            accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public string Fingerprint => CertificateFingerprint.Of(certificate);

        public int Handshakes => Volatile.Read(ref handshakes);

        public long ApplicationBytes => Interlocked.Read(ref applicationBytes);

        public static Task<ImpostorServer> StartAsync()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var made = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return Task.FromResult(new ImpostorServer(listener, certificate));
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            try
            {
                await accepting;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }

            certificate.Dispose();
            stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    await using var tls = new SslStream(client.GetStream());
                    Interlocked.Increment(ref handshakes);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, stop.Token);
                    var buffer = new byte[4096];
                    int read;
                    while ((read = await tls.ReadAsync(buffer, stop.Token)) > 0)
                    {
                        Interlocked.Add(ref applicationBytes, read);
                    }
                }
                catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    // The client gave up on the certificate, as it must.
                }
            }
        }
    }
}
