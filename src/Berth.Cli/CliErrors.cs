namespace Berth.Cli;

/// <summary>The one place that turns an exception into what the user sees: one line on stderr and an exit code.</summary>
internal static class CliErrors
{
    public const int Failure = 1;
    public const int Cancelled = 130;

    // Set BERTH_DEBUG=1 to see the whole exception when a message alone does not explain a bug.
    private static bool Debug => Environment.GetEnvironmentVariable("BERTH_DEBUG") is "1" or "true";

    public static int Report(Exception exception, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return Cancelled;
        }

        if (exception is Client.BerthApiException { Errors.Count: > 0 } listed)
        {
            foreach (var line in listed.Errors)
            {
                error.WriteLine($"berth: error: {OneLine(line)}");
            }

            return Failure;
        }

        string hint = CliHints.For(exception);
        error.WriteLine($"berth: error: {OneLine(exception.Message)}{hint}");
        if (Debug)
        {
            error.WriteLine(exception);
        }

        return Failure;
    }

    /// <summary>Joins a multi-line message (a job's captured stderr, say) into one line.</summary>
    public static string OneLine(string message)
    {
        var lines = message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "unknown error" : string.Join(' ', lines);
    }
}
