using Berth.Daemon.Api;
using Berth.Daemon.Processes;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>
/// Obtains certificates with Debian's lego, run with an argument vector: HTTP-01 through a webroot that Berth's nginx
/// serves, DNS-01 through lego's exec provider calling --acme-dns-hook. Its account and files stay under STATE_DIR/proxy/acme.
/// </summary>
public sealed partial class LegoClient(ProxyPaths paths, IOptions<ProxyOptions> options, ILogger<LegoClient> logger)
{
    // One lego at a time: runs share the account directory, and a first run registers the account.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Runs an order for <paramref name="domains"/>; the PEM chain and key, or a 502 carrying lego's reason.</summary>
    public async Task<(string Certificate, string Key)> ObtainAsync(IReadOnlyList<string> domains, string challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domains);
        var settings = options.Value;
        var email = settings.AcmeEmail ?? throw AcmeSettings.NoEmail();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            paths.Ensure();
            var files = Path.Combine(paths.Acme, "certificates");
            var stem = Path.Combine(files, domains[0].Replace('*', '_'));
            foreach (var suffix in Directory.Exists(files) ? new[] { ".crt", ".key", ".issuer.crt", ".json" } : [])
            {
                // A file of an earlier order must never pass for this one's.
                File.Delete(stem + suffix);
            }

            List<string> arguments = ["--server", settings.AcmeDirectory, "--accept-tos", "--email", email, "--path", paths.Acme, "--key-type", "ec256"];
            foreach (var domain in domains)
            {
                arguments.AddRange(["--domains", domain]);
            }

            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            if (settings.AcmeCaCertificates is { Length: > 0 } bundle)
            {
                environment["LEGO_CA_CERTIFICATES"] = bundle;
            }

            if (challenge == AcmeChallenges.Dns)
            {
                environment["EXEC_PATH"] = settings.AcmeDnsHook ?? throw AcmeSettings.NoDnsHook();
                environment["EXEC_PROPAGATION_TIMEOUT"] = "300";
                environment["EXEC_POLLING_INTERVAL"] = "2";
                environment["EXEC_SEQUENCE_INTERVAL"] = "5";
                arguments.AddRange(["--dns", "exec"]);
                if (settings.AcmeDnsResolver is { Length: > 0 } resolver)
                {
                    // The resolver given is the one to believe; the zone's own name servers may not be reachable from here.
                    arguments.AddRange(["--dns.resolvers", resolver, "--dns.disable-cp"]);
                }
            }
            else
            {
                arguments.AddRange(["--http", "--http.webroot", paths.AcmeWebroot]);
            }

            arguments.Add("run");
            LogOrdering(logger, string.Join(",", domains), challenge, settings.AcmeDirectory);
            var result = await CommandRunner.TryRunAsync(settings.Lego, arguments, cancellationToken, environment: environment).ConfigureAwait(false);
            CloseModes(paths.Acme);
            if (result.ExitCode != 0 || !File.Exists(stem + ".crt") || !File.Exists(stem + ".key"))
            {
                throw DomainError.Upstream("The ACME server gave no certificate", $"lego: {Reason(result.Stderr)}");
            }

            return (await File.ReadAllTextAsync(stem + ".crt", cancellationToken).ConfigureAwait(false), await File.ReadAllTextAsync(stem + ".key", cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What lego said went wrong: the text after "Could not obtain certificates", else its last line, without timestamps.</summary>
    public static string Reason(string stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Length > 20 && l[4] == '/' && l[10] == ' ' && l[19] == ' ' ? l[20..] : l)
            .ToList();
        var start = lines.FindIndex(l => l.StartsWith("Could not obtain certificates", StringComparison.Ordinal));
        var picked = start >= 0 ? lines.Skip(start + 1).Where(l => !l.StartsWith("error: one or more domains had a problem", StringComparison.Ordinal)).ToList() : [.. lines.TakeLast(1)];
        return picked.Count == 0 ? "lego failed without saying why" : string.Join("; ", picked);
    }

    // lego writes its account key 0644; under a 0700 directory, but keys are 0600 here wherever they are.
    private static void CloseModes(string root)
    {
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is null)
            {
                entry.UnixFileMode = entry is DirectoryInfo ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute : UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ordering a certificate for {Domains} ({Challenge}-01) from {Directory}")]
    private static partial void LogOrdering(ILogger logger, string domains, string challenge, string directory);
}
