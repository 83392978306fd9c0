namespace Berth.Cli;

/// <summary>An error the CLI itself found (bad input, a failed job): reported as one line, exit code 1.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }
}
