using Berth.Cli.Tty;
using Berth.Contracts;

namespace Berth.Cli.Commands;

/// <summary>Runs an exec on this process's own stdin/stdout/stderr, with the terminal in raw mode for a tty session.</summary>
internal static class ConsoleExec
{
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

        if (request.Tty && Terminal.GetSize() is { } size)
        {
            request = request with { Columns = size.Columns, Rows = size.Rows };
        }

        // The file descriptors themselves, not Console streams: .NET's console would echo and line-edit stdin
        // itself and, once initialized, rewrite the terminal mode that raw mode set; and not FileStreams, which write a
        // shared log file at their own position instead of its offset.
        await using var stdin = OpenStandardStream(0, FileAccess.Read);
        await using var stdout = OpenStandardStream(1, FileAccess.Write);
        await using var stderr = OpenStandardStream(2, FileAccess.Write);
        using var terminal = request.Tty ? Terminal.TryEnterRawMode() : null;
        return await context.Client.ExecAsync(name, request, stdin, stdout, stderr, request.Tty ? Terminal.GetSize : null, context.CancellationToken)
            .ConfigureAwait(false);
    }

    // A closed standard stream reads as empty and swallows writes.
    private static Stream OpenStandardStream(int fd, FileAccess access) => DescriptorStream.TryOpen(fd, access) ?? Stream.Null;
}
