namespace Berth.Daemon.Processes;

/// <summary>What a child process did.</summary>
public sealed record CommandResult(string Program, IReadOnlyList<string> Arguments, int ExitCode, string Stdout, string Stderr);
