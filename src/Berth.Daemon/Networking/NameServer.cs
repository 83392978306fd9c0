using System.Globalization;
using System.Text;
using Berth.Daemon.Hosting;
using Berth.Daemon.Native;
using Berth.Daemon.Processes;

namespace Berth.Daemon.Networking;

/// <summary>
/// One dnsmasq per network, bound only to the gateway address on its bridge, answering the containers' names from
/// a hosts file Berth writes (no /etc/hosts, no DHCP; other names go upstream only on NAT networks). A change rewrites the file and
/// sends SIGHUP: dnsmasq rereads it without a restart. It runs on when berthd stops, like the containers.
/// </summary>
public sealed class NameServer(StatePaths paths, NetworkStore networks)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Directory(string network) => Path.Combine(paths.Root, "dns", network);

    private string HostsFile(string network) => Path.Combine(Directory(network), "hosts");

    private string PidFile(string network) => Path.Combine(Directory(network), "dnsmasq.pid");

    /// <summary>Writes the hosts file from the leases and makes sure dnsmasq runs and has read it.</summary>
    public async Task UpdateAsync(NetworkRecord network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(network);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var dir = Directory(network.Name);
            System.IO.Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            var text = RenderHosts(await networks.ListLeasesAsync(network.Name, cancellationToken).ConfigureAwait(false));

            var hosts = HostsFile(network.Name);
            var changed = !File.Exists(hosts) || await File.ReadAllTextAsync(hosts, cancellationToken).ConfigureAwait(false) != text;
            if (changed)
            {
                var temp = hosts + ".tmp";
                await File.WriteAllTextAsync(temp, text, cancellationToken).ConfigureAwait(false);
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                File.Move(temp, hosts, overwrite: true);
            }

            // SIGHUP rereads the hosts file; one that went away between the check and the signal is started again below.
            if (RunningPid(network.Name) is { } pid && (!changed || ProcessSignal.TrySend(pid, ProcessSignal.Hangup)))
            {
                return;
            }

            List<string> arguments =
            [
                "--conf-file=/dev/null",
                "--bind-interfaces",
                $"--listen-address={network.Ipv4.Gateway}",
                "--except-interface=lo",
                "--no-hosts",
                $"--addn-hosts={hosts}",
                $"--pid-file={PidFile(network.Name)}",
                "--local-ttl=1",
                "--domain-needed",
            ];

            // A NAT network reaches the outside, so other names go to the host's resolvers; a closed one answers only its own names.
            if (!network.Nat)
            {
                arguments.Add("--no-resolv");
            }

            await CommandRunner.RunAsync("dnsmasq", arguments, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>dnsmasq's hosts file: one "ADDRESS NAME" line per address of each lease.</summary>
    public static string RenderHosts(IEnumerable<IpLease> leases)
    {
        ArgumentNullException.ThrowIfNull(leases);
        var text = new StringBuilder();
        void Line(string address, string name) =>
            text.Append(ControlCharacters.RefuseIn(address, "a dnsmasq hosts file")).Append(' ').Append(ControlCharacters.RefuseIn(name, "a dnsmasq hosts file")).Append('\n');
        foreach (var lease in leases)
        {
            Line(lease.Address, lease.Container);
            if (lease.Address6 is { } address6)
            {
                Line(address6, lease.Container);
            }
        }

        return text.ToString();
    }

    public Task StopAsync(string network, CancellationToken cancellationToken)
    {
        if (RunningPid(network) is { } pid)
        {
            ProcessSignal.TrySend(pid, ProcessSignal.Terminate);
        }

        if (System.IO.Directory.Exists(Directory(network)))
        {
            System.IO.Directory.Delete(Directory(network), recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>The pid from the pid file, if that process is still this network's dnsmasq.</summary>
    private int? RunningPid(string network)
    {
        try
        {
            var pidFile = PidFile(network);
            if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return null;
            }

            var cmdline = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
            return cmdline.Contains($"--pid-file={pidFile}\0", StringComparison.Ordinal) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
