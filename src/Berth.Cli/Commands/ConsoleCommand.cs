using System.CommandLine;
using Berth.Cli.Tty;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth console NAME [--session ID]</c>: the container's console, a login shell that survives a dropped connection;
/// Ctrl-a q detaches and says how to reattach. Exits with the shell's exit code when it ends.
/// </summary>
internal static class ConsoleCommand
{
    private static readonly TimeSpan SizePollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Container name" };
        var session = new Option<string>("--session") { Description = "Reattach to this console session (printed when it detached)", HelpName = "ID" };
        var command = new Command("console", "Open a container's console (Ctrl-a q detaches; reattach with --session)") { name, session };
        command.SetAction(CommandAction.Run(context => RunAsync(context, context.Get(name), context.Get(session))));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string name, string? session)
    {
        var size = Terminal.GetSize() ?? (80, 24);
        using var connection = await context.Client.OpenConsoleAsync(name, session, size.Columns, size.Rows, context.CancellationToken).ConfigureAwait(false);
        var reattach = $"berth console {name} --session {connection.Session}";
        await using var stdin = (Stream?)DescriptorStream.TryOpen(0, FileAccess.Read) ?? Stream.Null;
        await using var stdout = (Stream?)DescriptorStream.TryOpen(1, FileAccess.Write) ?? Stream.Null;
        var detached = false;
        using (Terminal.TryEnterRawMode())
        {
            await context.Error.WriteAsync($"Console of {name}{(connection.Hello.Reattached ? " (reattached)" : "")}; Ctrl-a q detaches.\r\n").ConfigureAwait(false);
            using var pumps = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);

            // Not awaited: a read from a terminal cannot be cancelled, and the shell may end while it blocks.
            _ = Task.Run(async () =>
            {
                detached = await PumpInputAsync(stdin, connection, pumps.Token).ConfigureAwait(false);
                if (detached)
                {
                    await connection.DetachAsync().ConfigureAwait(false);
                }
            }, CancellationToken.None);
            _ = PumpSizeAsync(connection, size, pumps.Token);
            while (await connection.ReceiveAsync(context.CancellationToken).ConfigureAwait(false) is { } output)
            {
                await stdout.WriteAsync(output, context.CancellationToken).ConfigureAwait(false);
            }

            await pumps.CancelAsync().ConfigureAwait(false);
        }

        if (connection.ExitCode is { } code)
        {
            return code;
        }

        var grace = connection.Hello.GraceSeconds;
        if (detached)
        {
            await context.Error.WriteLineAsync($"\nDetached; the shell keeps running for {grace} s. Reattach with: {reattach}").ConfigureAwait(false);
            return 0;
        }

        var why = string.IsNullOrEmpty(connection.CloseReason) ? "the connection to berthd closed" : connection.CloseReason;
        throw new CliException($"console of {name} ended: {why}; within {grace} s reattach with: {reattach}");
    }

    /// <summary>Sends what is typed until Ctrl-a q (true) or the end of input (false).</summary>
    private static async Task<bool> PumpInputAsync(Stream stdin, ConsoleConnection connection, CancellationToken cancellationToken)
    {
        var keys = new DetachKeys();
        var buffer = new byte[16 * 1024];
        var send = new List<byte>(buffer.Length + 1);
        try
        {
            int read;
            while ((read = await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                send.Clear();
                var detach = keys.Filter(buffer.AsSpan(0, read), send);
                if (send.Count > 0)
                {
                    await connection.SendInputAsync(send.ToArray(), cancellationToken).ConfigureAwait(false);
                }

                if (detach)
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or BerthConnectionException or IOException or ObjectDisposedException)
        {
            // The console is over or broken; the receive loop reports what matters.
        }

        return false;
    }

    private static async Task PumpSizeAsync(ConsoleConnection connection, (int Columns, int Rows) sent, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(SizePollInterval, cancellationToken).ConfigureAwait(false);
                if (Terminal.GetSize() is { } size && size != sent)
                {
                    await connection.ResizeAsync(size.Columns, size.Rows, cancellationToken).ConfigureAwait(false);
                    sent = size;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or BerthConnectionException or ObjectDisposedException)
        {
            // As for input: the console is over.
        }
    }
}
