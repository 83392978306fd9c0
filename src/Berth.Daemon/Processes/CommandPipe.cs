using Berth.Daemon.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Daemon.Processes;

/// <summary>
/// Runs "producer | consumer" without a shell: child processes with argument vectors joined by a kernel pipe, so the
/// bytes never pass through the daemon. Several producers write one after another into the same consumer, which sees
/// the end of its input when the last one has finished. Any side failing fails the whole with its stderr; a producer
/// whose consumer stopped reading is not a failure of its own, the consumer's exit decides.
/// </summary>
public static class CommandPipe
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public static Task<long> RunAsync(IReadOnlyList<string> producer, IReadOnlyList<string> consumer, Action<long>? onBytes, CancellationToken cancellationToken) =>
        RunAsync([producer], consumer, onBytes, cancellationToken);

    /// <summary>
    /// Returns the bytes the producers wrote into the pipe. <paramref name="onBytes"/> hears the running count about once a
    /// second (from the kernel's counters of the producer at work) and the final count at the end.
    /// </summary>
    public static async Task<long> RunAsync(
        IReadOnlyList<IReadOnlyList<string>> producers,
        IReadOnlyList<string> consumer,
        Action<long>? onBytes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(producers);
        ArgumentNullException.ThrowIfNull(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        var (read, write) = KernelPipe.Create();
        PipedCommand? sink = null;
        PipedCommand? source = null;
        try
        {
            // Only the consumer holds the read end: when it exits, producers get EPIPE instead of blocking forever.
            using (read)
            {
                sink = PipedCommand.Start(consumer, read, stdout: null);
            }

            long total = 0;
            foreach (var producer in producers)
            {
                if (sink.Process.Exited.IsCompleted)
                {
                    break;
                }

                source = PipedCommand.Start(producer, stdin: null, write);
                var producerEnded = await WaitForProducerAsync(source, sink, total, onBytes, cancellationToken).ConfigureAwait(false);
                if (!producerEnded)
                {
                    source.Process.Kill();
                }

                var (exit, result, stderrBytes) = await source.CompleteAsync().ConfigureAwait(false);
                source = null;
                total += Math.Max(0, exit.Io.BytesWritten - stderrBytes);
                if (!producerEnded || (exit.ExitCode != 0 && (sink.Process.Exited.IsCompleted || KernelPipe.ReadersGone(write))))
                {
                    break; // The consumer stopped reading; its exit code says whether that was a failure.
                }

                if (exit.ExitCode != 0)
                {
                    throw new CommandFailedException(result);
                }
            }

            write.Dispose();
            var (consumerExit, consumerResult, _) = await sink.CompleteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            sink = null;
            if (consumerExit.ExitCode != 0)
            {
                throw new CommandFailedException(consumerResult);
            }

            onBytes?.Invoke(total);
            return total;
        }
        finally
        {
            write.Dispose();
            await StopAsync(source).ConfigureAwait(false);
            await StopAsync(sink).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the producer or the consumer ends (true when the producer did), reporting progress meanwhile.</summary>
    private static async Task<bool> WaitForProducerAsync(PipedCommand source, PipedCommand sink, long before, Action<long>? onBytes, CancellationToken cancellationToken)
    {
        var first = Task.WhenAny(source.Process.Exited, sink.Process.Exited);
        if (onBytes is null)
        {
            return await first.WaitAsync(cancellationToken).ConfigureAwait(false) == source.Process.Exited;
        }

        using var ticks = new PeriodicTimer(ProgressInterval);
        while (!first.IsCompleted)
        {
            var tick = ticks.WaitForNextTickAsync(cancellationToken).AsTask();
            await Task.WhenAny(first, tick).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (!first.IsCompleted && source.Process.ReadIo() is { } io)
            {
                onBytes(before + io.BytesWritten);
            }
        }

        return await first.ConfigureAwait(false) == source.Process.Exited;
    }

    /// <summary>Kills a child still running when the pipe is abandoned and waits until it has been reaped.</summary>
    private static async Task StopAsync(PipedCommand? command)
    {
        if (command is null)
        {
            return;
        }

        command.Process.Kill();
        await command.CompleteAsync().ConfigureAwait(false);
    }
}
