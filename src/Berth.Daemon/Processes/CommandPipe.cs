using System.Diagnostics;

namespace Berth.Daemon.Processes;

/// <summary>
/// Runs "producer | consumer" without a shell: child processes with argument vectors, the bytes copied between them
/// by the daemon, which counts them for progress. Several producers write one after another into the same consumer.
/// Any side failing fails the whole with its stderr.
/// </summary>
public static class CommandPipe
{
    public static Task<long> RunAsync(IReadOnlyList<string> producer, IReadOnlyList<string> consumer, Action<long>? onBytes, CancellationToken cancellationToken) =>
        RunAsync([producer], consumer, onBytes, cancellationToken);

    public static async Task<long> RunAsync(
        IReadOnlyList<IReadOnlyList<string>> producers,
        IReadOnlyList<string> consumer,
        Action<long>? onBytes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(producers);
        ArgumentNullException.ThrowIfNull(consumer);
        using var to = Start(consumer, stdinRedirected: true);
        var toErrors = to.StandardError.ReadToEndAsync(cancellationToken);
        var toOutput = to.StandardOutput.ReadToEndAsync(cancellationToken);
        var sink = to.StandardInput.BaseStream;
        var buffer = new byte[1 << 20];
        long total = 0;
        var consumerGone = false;
        try
        {
            foreach (var producer in producers)
            {
                using var from = Start(producer, stdinRedirected: false);
                var fromErrors = from.StandardError.ReadToEndAsync(cancellationToken);
                var source = from.StandardOutput.BaseStream;
                int read;
                while (!consumerGone && (read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    try
                    {
                        await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                    catch (IOException)
                    {
                        consumerGone = true; // The consumer stopped reading; its exit code says why.
                    }

                    total += read;
                    onBytes?.Invoke(total);
                }

                if (consumerGone)
                {
                    Kill(from);
                }

                await from.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                if (from.ExitCode != 0 && !consumerGone)
                {
                    Kill(to);
                    throw new CommandFailedException(new CommandResult(producer[0], [.. producer.Skip(1)], from.ExitCode, "", await fromErrors.ConfigureAwait(false)));
                }
            }

            try
            {
                sink.Close();
            }
            catch (IOException)
            {
            }

            await to.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(to);
            throw;
        }

        if (to.ExitCode != 0)
        {
            throw new CommandFailedException(new CommandResult(consumer[0], [.. consumer.Skip(1)], to.ExitCode, await toOutput.ConfigureAwait(false), await toErrors.ConfigureAwait(false)));
        }

        return total;
    }

    private static Process Start(IReadOnlyList<string> argv, bool stdinRedirected)
    {
        var info = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = stdinRedirected,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new IOException($"cannot start {argv[0]}");
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
