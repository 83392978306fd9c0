using System.Diagnostics;
using System.Text;

namespace Berth.Daemon.Processes;

/// <summary>Runs host tools as child processes with an argument vector (never a shell string) and captures their output.</summary>
public static class CommandRunner
{
    /// <summary>Runs <paramref name="program"/> and throws <see cref="CommandFailedException"/> with its stderr when it exits non-zero.</summary>
    public static async Task<CommandResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken = default,
        Action<string>? onOutputLine = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null)
    {
        var result = await TryRunAsync(program, arguments, cancellationToken, onOutputLine, environment, standardInput).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new CommandFailedException(result);
        }

        return result;
    }

    /// <summary>Runs <paramref name="program"/> and returns whatever it exited with.</summary>
    public static async Task<CommandResult> TryRunAsync(
        string program,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken = default,
        Action<string>? onOutputLine = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                startInfo.Environment[key] = value;
            }
        }

        if (JobProcessTag.JobId is { } jobId)
        {
            startInfo.Environment[JobProcessTag.Variable] = jobId;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }

            onOutputLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };

        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CommandFailedException(new CommandResult(program, [.. startInfo.ArgumentList], -1, "", $"cannot run {program}: {ex.Message}"));
        }

        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            throw;
        }

        // WaitForExitAsync returns after the output streams reached EOF, so both builders are complete.
        return new CommandResult(program, [.. startInfo.ArgumentList], process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
