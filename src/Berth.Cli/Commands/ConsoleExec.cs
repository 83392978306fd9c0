using Berth.Cli.Tty;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary>Runs an exec on this process's own stdin/stdout/stderr, with the terminal in raw mode for a tty session.</summary>
internal static class ConsoleExec
{
    public static bool IsInteractive => !Console.IsInputRedirected && !Console.IsOutputRedirected;

    public static async Task<int> RunAsync(CommandContext context, string name, ExecRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Tty && !request.Environment.Any(variable => variable.StartsWith("TERM=", StringComparison.Ordinal)))
        {
            // The remote side draws for this terminal, so it needs its type.
            string term = Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } local ? local : "xterm";
            request = request with { Environment = [.. request.Environment, $"TERM={term}"] };
        }

        await using var stdin = Console.OpenStandardInput();
        await using var stdout = Console.OpenStandardOutput();
        await using var stderr = Console.OpenStandardError();
        using var terminal = request.Tty ? Terminal.TryEnterRawMode() : null;
        return await context.Client.ExecAsync(name, request, stdin, stdout, stderr, request.Tty ? TerminalSize : null, context.CancellationToken)
            .ConfigureAwait(false);
    }

    private static (int Columns, int Rows)? TerminalSize()
    {
        try
        {
            return Console.IsOutputRedirected ? null : (Console.WindowWidth, Console.WindowHeight);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
