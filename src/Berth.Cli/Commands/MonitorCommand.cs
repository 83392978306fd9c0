using System.CommandLine;
using Berth.Cli.Output;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth monitor [--since SEQ] [--format text|json]</c>: prints events live until Ctrl-C.</summary>
internal static class MonitorCommand
{
    public static Command Create()
    {
        var since = new Option<long?>("--since") { Description = "Replay events after this sequence number first", HelpName = "SEQ" };
        var format = FormatOption.Create(FormatOption.Text, FormatOption.Json);
        var command = new Command("monitor", "Print events as they happen, until Ctrl-C") { since, format };
        command.SetAction(CommandAction.Run(async context =>
        {
            bool json = context.Get(format) == FormatOption.Json;
            try
            {
                await foreach (var entry in context.Client.StreamEventsAsync(context.Get(since), context.CancellationToken).ConfigureAwait(false))
                {
                    if (json)
                    {
                        JsonOutput.WriteLine(context.Out, entry);
                    }
                    else
                    {
                        await context.Out.WriteLineAsync(FormatLine(entry)).ConfigureAwait(false);
                    }

                    await context.Out.FlushAsync(context.CancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                // Ctrl-C is how monitoring ends.
                return 0;
            }

            throw new CliException("berthd closed the event stream");
        }));
        return command;
    }

    public static string FormatLine(BerthEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string line = $"{HumanTime.Format(entry.Time)} {entry.Type,-9} {entry.Action,-22} {entry.Target} {(entry.Message is null ? "" : CliErrors.OneLine(entry.Message))}";
        return line.TrimEnd();
    }
}
