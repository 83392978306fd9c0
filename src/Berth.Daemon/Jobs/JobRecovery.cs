namespace Berth.Daemon.Jobs;

/// <summary>What recovery did with an interrupted job: finished it (succeeded) or undid it (failed, with the reason).</summary>
public sealed record JobRecovery(bool Completed, string Message);
