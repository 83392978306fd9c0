namespace Berth.Daemon.Processes;

/// <summary>A host tool exited non-zero; the message carries the tool's own last error lines.</summary>
public sealed class CommandFailedException(CommandResult result)
    : Exception($"{Path.GetFileName(result.Program)} failed (exit {result.ExitCode}): {Summarise(result)}")
{
    public CommandResult Result { get; } = result;

    private static string Summarise(CommandResult result)
    {
        var text = string.IsNullOrWhiteSpace(result.Stderr) ? result.Stdout : result.Stderr;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no output" : string.Join(" | ", lines.TakeLast(3));
    }
}
