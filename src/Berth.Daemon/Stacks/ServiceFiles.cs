using System.Text;

namespace Berth.Daemon.Stacks;

/// <summary>
/// The files that supervise a stack container's service, written into its rootfs before it starts: on busybox a
/// respawn line in /etc/inittab, on systemd berth-service.service (Restart=always). Both write the service's output
/// to /var/log/berth-service.log, which <c>berth logs</c> reads, and its exit status to /run/berth-service.exit.
/// </summary>
public static class ServiceFiles
{
    public const string Log = "var/log/berth-service.log";
    public const string ExitFile = "run/berth-service.exit";
    public const string Script = "etc/berth/service.sh";
    public const string Command = "etc/berth/service.cmd";
    public const string Environment = "etc/berth/service.env";
    public const string Unit = "etc/systemd/system/berth-service.service";
    public const string UnitLink = "etc/systemd/system/multi-user.target.wants/berth-service.service";
    public const string InittabMarker = "# berth-service";

    /// <summary>export lines, each value single-quoted (values are one line, checked when the file was read).</summary>
    public static string RenderEnvironment(IReadOnlyDictionary<string, string> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var text = new StringBuilder();
        foreach (var (key, value) in env.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("export ").Append(key).Append("='").Append(value.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        return text.ToString();
    }

    /// <summary>Runs the author's command with sh -c (it is their own container), as their user, and records how it ended.</summary>
    public static string RenderScript(StackServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var run = service.User is { } user
            ? $"su -s /bin/sh -c '. /{Environment}; exec /bin/sh /{Command}' {user}"
            : $"/bin/sh /{Command}";
        return $"""
            #!/bin/sh
            # Written by berthd for the stack service; berth up rewrites it.
            . /{Environment}
            rm -f /{ExitFile}
            {run} >>/{Log} 2>&1 </dev/null
            echo $? >/{ExitFile}

            """;
    }

    public static string RenderUnit(StackServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return $"""
            [Unit]
            Description=Stack service (written by berthd)
            After=network.target

            [Service]
            Type=simple
            ExecStart=/bin/sh /{Script}
            Restart={(service.Restart ? "always" : "no")}
            RestartSec=1

            [Install]
            WantedBy=multi-user.target

            """;
    }

    /// <summary>The busybox inittab with its berth-service line replaced (or removed without a service).</summary>
    public static string RenderInittab(string current, StackServiceDefinition? service)
    {
        ArgumentNullException.ThrowIfNull(current);
        var lines = current.Split('\n').Where(l => !l.EndsWith(InittabMarker, StringComparison.Ordinal)).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        if (service is not null)
        {
            lines.Add($"::{(service.Restart ? "respawn" : "once")}:/bin/sh /{Script} {InittabMarker}");
        }

        return string.Join('\n', lines) + "\n";
    }

    /// <summary>/etc/hosts: the stack's containers by their keys and full names, so db resolves from web.</summary>
    public static string RenderHosts(string self, IEnumerable<(string Key, string Container, string Address)> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var text = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        text.Append("127.0.1.1\t").Append(self).Append('\n');
        foreach (var (key, container, address) in members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            text.Append(address).Append('\t').Append(key).Append(' ').Append(container).Append('\n');
        }

        return text.ToString();
    }
}
