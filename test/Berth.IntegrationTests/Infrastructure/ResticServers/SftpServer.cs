using System.Globalization;

namespace Berth.IntegrationTests.Infrastructure.ResticServers;

/// <summary>
/// An sshd of the test's own (<c>/usr/sbin/sshd -D -e -f DIR/sshd_config</c>) on 127.0.0.1: its own host key, root
/// let in only with the key the fixture generates (<see cref="KeyFile"/>), sftp served in-process (internal-sftp).
/// Repository <c>sftp:root@127.0.0.1:DIR/data/repo</c>; restic reaches it through <see cref="SshCommand"/>, given as
/// <c>-o sftp.command=...</c> (<see cref="Options"/>), because the port and key are the fixture's. sshd needs its
/// privilege separation directory /run/sshd; it is created when missing (Debian's ssh service would create it).
/// </summary>
public sealed class SftpServer() : ResticServer("sftp")
{
    public string KeyFile => Path.Combine(Dir, "client_key");

    public string RepositoryPath => Path.Combine(Dir, "data", "repo");

    public override string Repository => $"sftp:root@127.0.0.1:{RepositoryPath}";

    /// <summary>ssh to this server as root with the fixture's key, reading no ssh configuration or known hosts of the host's.</summary>
    public string SshCommand =>
        $"ssh -F /dev/null -p {PortText(Port)} -i {KeyFile} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no "
        + "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@127.0.0.1 -s sftp";

    public override IReadOnlyList<string> Options => ["-o", $"sftp.command={SshCommand}"];

    protected override async Task<(string Program, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment)> PrepareAsync()
    {
        Directory.CreateDirectory(Path.Combine(Dir, "data"));
        Directory.CreateDirectory("/run/sshd");
        await Host.RunCheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "berth-test-host", "-f", Path.Combine(Dir, "host_key")).ConfigureAwait(false);
        await Host.RunCheckedAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "berth-test-client", "-f", KeyFile).ConfigureAwait(false);
        File.Copy(KeyFile + ".pub", Path.Combine(Dir, "authorized_keys"));
        var config = Path.Combine(Dir, "sshd_config");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            ListenAddress 127.0.0.1:{Port}
            HostKey {Path.Combine(Dir, "host_key")}
            PidFile {Path.Combine(Dir, "sshd.pid")}
            AuthorizedKeysFile {Path.Combine(Dir, "authorized_keys")}
            AllowUsers root
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            AllowTcpForwarding no
            X11Forwarding no
            PermitTTY no
            Subsystem sftp internal-sftp

            """).ReplaceLineEndings("\n")).ConfigureAwait(false);
        // -t first: a bad configuration fails here with sshd's own message rather than as a port that never opens.
        await Host.RunCheckedAsync("/usr/sbin/sshd", "-t", "-f", config).ConfigureAwait(false);
        return ("/usr/sbin/sshd", ["-D", "-e", "-f", config], new Dictionary<string, string>());
    }
}
