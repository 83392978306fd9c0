using System.CommandLine;

namespace Berth.Cli;

/// <summary>Wraps a command body so that every failure becomes one error line and an exit code.</summary>
internal static class CommandAction
{
    public static Func<ParseResult, CancellationToken, Task<int>> Run(Func<CommandContext, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return async (parseResult, cancellationToken) =>
        {
            using var context = new CommandContext(parseResult, cancellationToken);
            try
            {
                return await body(context).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // The CLI's contract: any failure is one line on stderr, never a stack trace.
                return CliErrors.Report(e, context.Error, cancellationToken);
            }
        };
    }
}
