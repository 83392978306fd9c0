using Berth.Contracts;
using Berth.Daemon.Exec;
using Berth.Daemon.Processes;

namespace Berth.Daemon.Health;

/// <summary>Runs a container's health command inside it, through the attach path berth exec uses, with a time limit.</summary>
public sealed class HealthProbe(ExecSessions exec)
{
    private const int OutputShown = 200;

    /// <summary>Whether the command exited 0, and what it said (shortened) when it did not.</summary>
    public async Task<(bool Healthy, string Detail)> RunAsync(string container, string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The container's own shell parses the command, inside the container; the host runs only lxc-attach with an argument vector.
        var argv = exec.AttachArguments(container, new ExecRequest { Command = ["/bin/sh", "-c", command] });
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var result = await CommandRunner.TryRunAsync(argv[0], argv.Skip(1), limit.Token).ConfigureAwait(false);
            var output = (result.Stdout + result.Stderr).Trim();
            return result.ExitCode == 0
                ? (true, "")
                : (false, $"exit status {result.ExitCode}" + (output.Length == 0 ? "" : ": " + Hosting.ControlCharacters.Visible(output.Length > OutputShown ? output[..OutputShown] + "..." : output)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"timed out after {timeout.TotalSeconds:0.#}s");
        }
        catch (CommandFailedException ex)
        {
            return (false, ex.Message);
        }
    }
}
