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

        Directory.CreateDirectory(Certificates);
        File.SetUnixFileMode(Certificates, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
