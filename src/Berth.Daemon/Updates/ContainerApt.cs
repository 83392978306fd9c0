using System.Text.RegularExpressions;
using Berth.Contracts;
using Berth.Daemon.Errors;
using Berth.Daemon.Exec;
using Berth.Daemon.Native;
using Berth.Daemon.Processes;
using Berth.Daemon.Storage;

namespace Berth.Daemon.Updates;

/// <summary>apt inside a container, through the same lxc-attach argument vector exec uses; never a shell string built from input.</summary>
public sealed partial class ContainerApt(ExecSessions exec, RootfsFiles files)
{
    public const string Unsupported = "not supported (no apt)";

    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(30);

    /// <summary>Whether the container has apt-get (Debian and its derivatives); read from its files, so a stopped container answers too.</summary>
    public async Task<bool> IsSupportedAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            return await files.UseAsync(container, root => root.Kind("usr/bin/apt-get") == RootfsEntryKind.File, cancellationToken).ConfigureAwait(false);
        }
        catch (DomainError)
        {
            // A link planted on the way, or files that cannot be read: not a tree Berth updates.
            return false;
        }
    }

    /// <summary>Runs <paramref name="command"/> in the container, its output going to <paramref name="log"/>; returns the exit code and its standard output.</summary>
    public async Task<(int ExitCode, string Stdout)> RunAsync(string container, IReadOnlyList<string> command, UpdateLog? log, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        var args = exec.AttachArguments(container, new ExecRequest { Command = [.. command], Environment = ["DEBIAN_FRONTEND=noninteractive"] });
        log?.Step(string.Join(' ', command));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit ?? StepLimit);
        try
        {
            var result = await CommandRunner.TryRunAsync(args[0], args.Skip(1), timeout.Token, line => log?.Line(line)).ConfigureAwait(false);
            foreach (var line in result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                log?.Line(line);
            }

            log?.Line($"(exit code {result.ExitCode})");
            return (result.ExitCode, result.Stdout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            log?.Line($"(timed out after {(limit ?? StepLimit).TotalMinutes:0.#} minutes)");
            return (-1, "");
        }
    }

    /// <summary>What apt would upgrade: apt-get update, then apt list --upgradable.</summary>
    public async Task<IReadOnlyList<PendingUpgradeInfo>> PendingAsync(string container, CancellationToken cancellationToken)
    {
        var (refreshed, _) = await RunAsync(container, ["apt-get", "-q", "update"], null, cancellationToken, TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        if (refreshed != 0)
        {
            throw DomainError.Upstream("apt-get update failed", $"apt-get update failed in '{container}' (exit code {refreshed}); check its /etc/apt/sources.list and network.");
        }

        var (listed, output) = await RunAsync(container, ["apt", "list", "--upgradable"], null, cancellationToken, TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        if (listed != 0)
        {
            throw DomainError.Upstream("apt list failed", $"listing the upgradable packages with apt failed in '{container}' (exit code {listed}).");
        }

        return ParseUpgradable(output);
    }

    /// <summary>Lines like "berth-test-pkg/unknown 2 all [upgradable from: 1]".</summary>
    public static IReadOnlyList<PendingUpgradeInfo> ParseUpgradable(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return [.. output.Split('\n').Select(l => Upgradable().Match(l.Trim())).Where(m => m.Success)
            .Select(m => new PendingUpgradeInfo { Package = m.Groups[1].Value, Candidate = m.Groups[2].Value, Installed = m.Groups[3].Value })];
    }

    /// <summary>apt's "N upgraded, M newly installed, ..." line, when it printed one.</summary>
    public static string? SummaryOf(string output) =>
        output?.Split('\n').Select(l => l.Trim()).LastOrDefault(l => Summary().IsMatch(l));

    [GeneratedRegex(@"^([^/\s]+)/\S+\s+(\S+)\s+\S+\s+\[upgradable from: ([^\]]+)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex Upgradable();

    [GeneratedRegex(@"^[0-9]+ upgraded, [0-9]+ newly installed", RegexOptions.CultureInvariant)]
    private static partial Regex Summary();
}
