using Berth.Daemon.Hosting;
using Berth.Daemon.Processes;

namespace Berth.Daemon.Stacks;

/// <summary>Runs a stack author's command in one of their containers (lxc-attach, sh -c, a clean environment) with a time limit.</summary>
public sealed class StackExec(StatePaths paths)
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The exit code (-1 when the time ran out) and the output.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string container, string command, TimeSpan timeout, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? env = null)
    {
        var args = new List<string> { "-n", container, "-P", paths.LxcPath, "--clear-env", "--set-var", $"PATH={DefaultPath}", "--set-var", "HOME=/root", "--set-var", "LANG=C.UTF-8" };
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            args.AddRange(["--set-var", $"{key}={value}"]);
        }

        args.AddRange(["--", "/bin/sh", "-c", command]);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var result = await CommandRunner.TryRunAsync("lxc-attach", args, limit.Token).ConfigureAwait(false);
            return (result.ExitCode, (result.Stdout + result.Stderr).Trim());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (-1, $"timed out after {timeout.TotalSeconds:0.#}s");
        }
    }
}
