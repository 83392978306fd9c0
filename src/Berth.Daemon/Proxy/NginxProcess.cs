using System.Globalization;
using Berth.Daemon.Api;
using Berth.Daemon.Processes;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Proxy;

/// <summary>
/// Berth's own nginx: a daemonised master started with its prefix, configuration, pid file and error log under
/// STATE_DIR/proxy, so it keeps serving while berthd restarts, and is found again by its pid file and command line.
/// </summary>
public sealed class NginxProcess(ProxyPaths paths, IOptions<ProxyOptions> options)
{
    private string Binary => options.Value.Nginx;

    /// <summary>The master's pid, when the pid file names a live nginx started with this state directory's configuration.</summary>
    public int? RunningPid()
    {
        try
        {
            if (!File.Exists(paths.PidFile) || !int.TryParse(File.ReadAllText(paths.PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                return null;
            }

            var cmdline = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
            return cmdline.Contains("master process", StringComparison.Ordinal) && cmdline.Contains($"-c {paths.LiveConfig} ", StringComparison.Ordinal) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Runs <c>nginx -t</c> on a configuration file; null when nginx accepts it, else nginx's reason.</summary>
    public async Task<string?> TestAsync(string config, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["-t", .. Arguments(config)], cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0 ? null : Reason(result, config);
    }

    /// <summary>Starts the master on the live configuration; throws with nginx's reason when it does not come up.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await KillStragglersAsync(cancellationToken).ConfigureAwait(false);
        var result = await RunAsync(Arguments(paths.LiveConfig), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw DomainError.Conflict("The proxy did not start", $"nginx: {Reason(result, paths.LiveConfig)}");
        }

        // The launcher exits once the master has forked; the master writes its pid file a moment later.
        for (var i = 0; i < 100 && RunningPid() is null; i++)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        if (RunningPid() is null)
        {
            throw DomainError.Conflict("The proxy did not start", $"nginx exited at start; see {paths.ErrorLog}.");
        }
    }

    /// <summary>
    /// Tells the master to reread the live configuration and waits until the new configuration is what new connections
    /// get: new workers run, and each old one is gone or shutting down (nginx retitles an old worker just before it
    /// closes its listening sockets, and it never accepts again; it finishes its open requests on its own). nginx itself
    /// waits 100 ms between starting the new workers and telling the old ones to quit. Throws when nginx did not take it.
    /// </summary>
    public async Task ReloadAsync(int pid, CancellationToken cancellationToken)
    {
        var old = Workers();
        if (!Native.ProcessSignal.TrySend(pid, Native.ProcessSignal.Hangup))
        {
            throw DomainError.Conflict("nginx did not reload", $"its master (pid {pid.ToString(CultureInfo.InvariantCulture)}) is gone; {paths.ErrorLog} says why.");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < ReloadTimeout)
        {
            var now = Workers();
            if (now.Any(w => !old.Contains(w)) && old.All(w => !now.Contains(w) || IsShuttingDown(w)))
            {
                return;
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }

        throw DomainError.Conflict("nginx did not reload", $"nginx kept its previous configuration; {paths.ErrorLog} says why.");
    }

    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Stops the master gracefully (SIGQUIT), then anything of it left behind.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (RunningPid() is { } pid)
        {
            await CommandRunner.TryRunAsync("kill", ["-QUIT", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}") && RunningPid() == pid; i++)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        await KillStragglersAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Workers outlive a master killed with SIGKILL and keep the listening sockets, so a new master could not bind; they
    /// are known as ours by their open error log, which lives in this state directory only.
    /// </summary>
    public async Task KillStragglersAsync(CancellationToken cancellationToken)
    {
        var running = RunningPid();
        foreach (var pid in ProcessesHolding(paths.ErrorLog))
        {
            if (pid != running && ParentOf(pid) != running)
            {
                await CommandRunner.TryRunAsync("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The worker processes of the running master: its children, as the kernel lists them (else the processes holding our error log).</summary>
    public IReadOnlyList<int> Workers()
    {
        if (RunningPid() is not { } master)
        {
            return [];
        }

        var id = master.ToString(CultureInfo.InvariantCulture);
        try
        {
            return [.. File.ReadAllText($"/proc/{id}/task/{id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
        }
        catch (FileNotFoundException)
        {
            // A kernel without CONFIG_PROC_CHILDREN: the slower walk over /proc.
            return [.. ProcessesHolding(paths.ErrorLog).Where(p => ParentOf(p) == master)];
        }
        catch (IOException)
        {
            return []; // the master exited meanwhile
        }
    }

    /// <summary>Whether an old worker was told to quit (or has exited): it then accepts no new connection.</summary>
    private static bool IsShuttingDown(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Contains("shutting down", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true; // exited meanwhile
        }
    }

    private IEnumerable<string> Arguments(string config) =>
        ["-p", paths.Prefix + "/", "-e", paths.ErrorLog, "-c", config, "-g", $"pid {paths.PidFile};"];

    private async Task<CommandResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await CommandRunner.TryRunAsync(Binary, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (CommandFailedException ex) when (ex.Result.ExitCode == -1)
        {
            throw DomainError.Conflict("nginx is missing", $"the proxy needs nginx ({Binary}): install it with 'apt-get install nginx-light', or start berthd with --proxy-http off.");
        }
    }

    /// <summary>nginx's own complaint, without its prefix and with the offending line of the rendered file instead of its path.</summary>
    private static string Reason(CommandResult result, string config)
    {
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Contains("[emerg]", StringComparison.Ordinal) || l.Contains("[alert]", StringComparison.Ordinal) || l.Contains("[crit]", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 1)..].Trim())
            .ToList();
        if (lines.Count == 0)
        {
            return string.IsNullOrWhiteSpace(result.Stderr) ? $"exit {result.ExitCode.ToString(CultureInfo.InvariantCulture)}" : result.Stderr.Trim();
        }

        var reason = lines[0];
        var marker = $" in {config}:";
        var at = reason.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0 && int.TryParse(reason[(at + marker.Length)..], NumberStyles.None, CultureInfo.InvariantCulture, out var line) && File.Exists(config))
        {
            var text = File.ReadLines(config).Skip(line - 1).FirstOrDefault()?.Trim();
            reason = text is null ? reason[..at] : $"{reason[..at]} ({text})";
        }

        return reason;
    }

    private static IEnumerable<int> ProcessesHolding(string file)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            bool holds;
            try
            {
                holds = File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "nginx"
                    && Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")).Any(fd => new FileInfo(fd).LinkTarget == file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile
            }

            if (holds)
            {
                yield return pid;
            }
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
