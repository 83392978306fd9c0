using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>
/// Let's Encrypt's test ACME server on loopback (Debian's pebble): a self-signed certificate for 127.0.0.1 made with
/// openssl, pebble-challtestsrv as its DNS (every name is 127.0.0.1, TXT records set through its management API), and
/// pebble validating HTTP-01 on <c>httpPort</c>, where the test's proxy listens. Every port is its own.
/// </summary>
public sealed class Pebble : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _pebble;
    private Process? _dns;

    /// <param name="httpPort">Where pebble asks for HTTP-01 tokens: the proxy's HTTP port.</param>
    /// <param name="validitySeconds">The lifetime of the certificates it issues (null: pebble's default of five years).</param>
    public Pebble(int httpPort, int? validitySeconds = null)
    {
        HttpPort = httpPort;
        ValiditySeconds = validitySeconds;
        Dir = Path.Combine(Path.GetTempPath(), $"berth-pebble-{Guid.NewGuid():N}"[..24]);
        AcmePort = FreePort();
        ManagementPort = FreePort();
        DnsPort = FreePort();
        DnsManagementPort = FreePort();
    }

    public int HttpPort { get; }

    public int? ValiditySeconds { get; }

    public string Dir { get; }

    public int AcmePort { get; }

    public int ManagementPort { get; }

    public int DnsPort { get; }

    public int DnsManagementPort { get; }

    public string DirectoryUrl => $"https://127.0.0.1:{AcmePort.ToString(CultureInfo.InvariantCulture)}/dir";

    /// <summary>The certificate pebble's own HTTPS listener presents: what the ACME client must trust.</summary>
    public string ServerCertificate => Path.Combine(Dir, "cert.pem");

    /// <summary>A DNS-01 hook for berthd (PROGRAM present|cleanup FQDN VALUE) that sets the TXT record in pebble-challtestsrv.</summary>
    public string DnsHook => Path.Combine(Dir, "dns-hook");

    public string DnsResolver => $"127.0.0.1:{DnsPort.ToString(CultureInfo.InvariantCulture)}";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task StartAsync()
    {
        Directory.CreateDirectory(Dir);
        await Host.RunCheckedAsync("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", Path.Combine(Dir, "key.pem"), "-out", ServerCertificate, "-days", "7", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        var validity = ValiditySeconds is { } seconds ? $",\"certificateValidityPeriod\":{seconds.ToString(CultureInfo.InvariantCulture)}" : "";
        var config = $"{{\"pebble\":{{\"listenAddress\":\"127.0.0.1:{AcmePort}\",\"managementListenAddress\":\"127.0.0.1:{ManagementPort}\","
            + $"\"certificate\":\"{ServerCertificate}\",\"privateKey\":\"{Path.Combine(Dir, "key.pem")}\",\"httpPort\":{HttpPort},\"tlsPort\":{FreePort()},"
            + $"\"ocspResponderURL\":\"\",\"externalAccountBindingRequired\":false{validity}}}}}";
        await File.WriteAllTextAsync(Path.Combine(Dir, "pebble.json"), config);
        await File.WriteAllTextAsync(DnsHook, $$"""
            #!/bin/sh
            # $1 present|cleanup, $2 the record's name, $3 its value
            case "$1" in
                present) exec curl -sf -d "{\"host\":\"$2\",\"value\":\"$3\"}" http://127.0.0.1:{{DnsManagementPort}}/set-txt ;;
                cleanup) exec curl -sf -d "{\"host\":\"$2\"}" http://127.0.0.1:{{DnsManagementPort}}/clear-txt ;;
            esac

            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(DnsHook, (UnixFileMode)0b111_101_101);
        await StartDnsAsync();
        _pebble = Start("pebble", ["-config", Path.Combine(Dir, "pebble.json"), "-dnsserver", DnsResolver], ("PEBBLE_VA_NOSLEEP", "1"), ("PEBBLE_AUTHZREUSE", "0"));
        await WaitForPortAsync(AcmePort);
    }

    /// <summary>Starts pebble-challtestsrv (pebble's DNS); without it pebble cannot resolve a name, so every validation fails.</summary>
    public async Task StartDnsAsync()
    {
        _dns = Start("pebble-challtestsrv", ["-defaultIPv4", "127.0.0.1", "-defaultIPv6", "", "-dns01", DnsResolver, "-http01", "", "-https01", "", "-tlsalpn01", "",
            "-management", $"127.0.0.1:{DnsManagementPort.ToString(CultureInfo.InvariantCulture)}"]);
        await WaitForPortAsync(DnsManagementPort);
    }

    /// <summary>Takes the challenge server down: orders fail as on a host whose DNS is broken.</summary>
    public async Task StopDnsAsync()
    {
        if (_dns is { } dns)
        {
            dns.Kill();
            await dns.WaitForExitAsync();
            dns.Dispose();
            _dns = null;
        }
    }

    /// <summary>Pebble's root for this run (it makes a new one at each start), to check a chain the proxy serves.</summary>
    public async Task<X509Certificate2> RootAsync()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var pem = await http.GetStringAsync(new Uri($"https://127.0.0.1:{ManagementPort.ToString(CultureInfo.InvariantCulture)}/roots/0"));
        return X509Certificate2.CreateFromPem(pem);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _pebble, _dns })
        {
            if (process is not null)
            {
                try
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
                catch (InvalidOperationException)
                {
                }

                process.Dispose();
            }
        }

        if (Directory.Exists(Dir))
        {
            Directory.Delete(Dir, recursive: true);
        }
    }

    private Process Start(string program, string[] args, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Dir };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        void Append(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(e.Data);
                }
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"nothing listens on 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}\n{Log}");
    }

    private static int FreePort()
    {
        while (true)
        {
            var port = RandomNumberGenerator.GetInt32(20000, 30000);
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
