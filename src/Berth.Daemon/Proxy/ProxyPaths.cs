using Berth.Daemon.Hosting;

namespace Berth.Daemon.Proxy;

/// <summary>Everything nginx reads and writes, under STATE_DIR/proxy: never /etc/nginx or /var/log/nginx.</summary>
public sealed class ProxyPaths(StatePaths paths)
{
    /// <summary>nginx's prefix (-p); relative paths in its configuration resolve here.</summary>
    public string Prefix { get; } = Path.Combine(paths.Root, "proxy");

    /// <summary>The configuration the running nginx was started or reloaded with.</summary>
    public string LiveConfig => Path.Combine(Prefix, "nginx.conf");

    /// <summary>The configuration before the last swap, kept so a bad moment can be undone.</summary>
    public string PreviousConfig => Path.Combine(Prefix, "nginx.conf.previous");

    /// <summary>Where a candidate configuration is written and tested before it is swapped in.</summary>
    public string Staging => Path.Combine(Prefix, "staging");

    public string PidFile => Path.Combine(Prefix, "nginx.pid");

    public string Logs => Path.Combine(Prefix, "logs");

    public string ErrorLog => Path.Combine(Logs, "error.log");

    public string Temp => Path.Combine(Prefix, "temp");

    /// <summary>Certificates and keys (0700; each key 0600), read by the root master only.</summary>
    public string Certificates => Path.Combine(Prefix, "certs");

    /// <summary>lego's own directory (its account key and the certificates it obtained), root only.</summary>
    public string Acme => Path.Combine(Prefix, "acme");

    /// <summary>HTTP-01 tokens: lego writes .well-known/acme-challenge/TOKEN here, nginx serves it for every domain.</summary>
    public string AcmeWebroot => Path.Combine(Prefix, "acme-challenge");

    public string CertificateFile(string name) => Path.Combine(Certificates, name + ".crt");

    public string KeyFile(string name) => Path.Combine(Certificates, name + ".key");

    /// <summary>Removes a certificate's files (after its row is gone and nginx no longer names them).</summary>
    public void DeleteCertificateFiles(string name)
    {
        File.Delete(CertificateFile(name));
        File.Delete(KeyFile(name));
    }

    /// <summary>One access log per route: the domain, then the path with '/' as '+' (which the path grammar never holds).</summary>
    public string AccessLog(string domain, string path) => Path.Combine(Logs, "access", $"{domain}{path.Replace('/', '+')}access.log");

    /// <summary>Creates the directories; the prefix is 0711 so nginx's workers (www-data) reach their temp directory.</summary>
    public void Ensure()
    {
        const UnixFileMode traverse = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        foreach (var dir in new[] { Prefix, Staging, Logs, Path.Combine(Logs, "access"), Temp })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, traverse);
        }

        foreach (var dir in new[] { Certificates, Acme })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // The workers (nobody) read the tokens; they are public by design.
        var tokens = Path.Combine(AcmeWebroot, ".well-known", "acme-challenge");
        Directory.CreateDirectory(tokens);
        foreach (var dir in new[] { AcmeWebroot, Path.GetDirectoryName(tokens)!, tokens })
        {
            File.SetUnixFileMode(dir, traverse | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}
